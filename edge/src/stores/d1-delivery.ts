/**
 * The D1 adapter of the DeliveryStore port: reads outbox rows, records attempts, and leases due rows
 * for the sweep.
 */
import type { AttemptOutcome, Delivery, DeliveryStore } from "./delivery-port.ts";

interface OutboxRow {
  id: string;
  site: string;
  lead_id: string;
  destination: string;
  event_type: Delivery["eventType"];
  payload: string;
  status: Delivery["status"];
  attempts: number;
  next_attempt_at: string;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

export class D1DeliveryStore implements DeliveryStore {
  readonly #db: D1Database;

  constructor(db: D1Database) {
    this.#db = db;
  }

  async getDelivery(id: string): Promise<Delivery | null> {
    const row = await this.#db.prepare("SELECT * FROM outbox WHERE id = ?1").bind(id).first<OutboxRow>();
    if (!row) return null;
    return {
      id: row.id,
      site: row.site,
      leadId: row.lead_id,
      destination: row.destination,
      eventType: row.event_type,
      payload: row.payload,
      status: row.status,
      attempts: row.attempts,
      nextAttemptAt: row.next_attempt_at,
      lastStatus: row.last_status,
      lastError: row.last_error,
      createdAt: row.created_at,
      deliveredAt: row.delivered_at,
    };
  }

  async recordAttempt(id: string, outcome: AttemptOutcome): Promise<void> {
    const statement = outcome.ok
      ? this.#db
          .prepare(
            `UPDATE outbox SET status = 'delivered', attempts = attempts + 1, last_status = ?2, last_error = NULL,
               delivered_at = ?3, leased_until = NULL WHERE id = ?1 AND status = 'pending'`,
          )
          .bind(id, outcome.status, outcome.at)
      : this.#db
          .prepare(
            `UPDATE outbox SET attempts = attempts + 1, last_status = ?2, last_error = ?3,
               status = CASE WHEN ?4 IS NULL THEN 'dead' ELSE 'pending' END,
               next_attempt_at = COALESCE(?4, next_attempt_at), leased_until = ?5
             WHERE id = ?1 AND status = 'pending'`,
          )
          .bind(id, outcome.status, outcome.error, outcome.nextAttemptAt, outcome.leasedUntil);
    await statement.run();
  }

  async claimDue(now: string, leaseUntil: string, limit: number): Promise<string[]> {
    const { results } = await this.#db
      .prepare(
        `UPDATE outbox SET leased_until = ?2 WHERE id IN (
           SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?1
             AND (leased_until IS NULL OR leased_until < ?1)
           ORDER BY next_attempt_at LIMIT ?3)
         RETURNING id`,
      )
      .bind(now, leaseUntil, limit)
      .all<{ id: string }>();
    return results.map((row) => row.id);
  }
}
