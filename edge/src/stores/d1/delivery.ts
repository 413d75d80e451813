/**
 * The D1 adapter of the DeliveryStore port: reads outbox rows, records attempts (row + attempt log +
 * destination state in one batch), leases due rows for the sweep, lists and replays dead letters.
 */
import { decodeCursor, encodeCursor, isTimeAndId } from "../cursor.ts";
import {
  type Attempt,
  type AttemptContext,
  type AttemptOutcome,
  type Delivery,
  type DeliveryFilter,
  type DeliveryPage,
  type DeliveryStore,
  type DestinationState,
  type DestinationUpdate,
  HELD_UNTIL,
} from "../ports/delivery.ts";

export interface OutboxRow {
  id: string;
  site: string;
  lead_id: string;
  destination: string;
  event_type: Delivery["eventType"];
  payload?: string;
  status: Delivery["status"];
  attempts: number;
  next_attempt_at: string;
  last_status: number | null;
  last_error: string | null;
  last_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
  dead_at: string | null;
  replays: number;
}

export function toDelivery(row: OutboxRow): Delivery {
  return {
    id: row.id,
    site: row.site,
    leadId: row.lead_id,
    destination: row.destination,
    eventType: row.event_type,
    payload: row.payload ?? "",
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastStatus: row.last_status,
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    deadAt: row.dead_at,
    replays: row.replays,
    held: row.status === "pending" && row.next_attempt_at === HELD_UNTIL,
  };
}

/** WHERE clause and parameters (from ?1) for a filter. */
function where(filter: DeliveryFilter & { ids?: string[] }): { sql: string; params: unknown[] } {
  const clauses = ["site = ?1"];
  const params: unknown[] = [filter.site];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    clauses.push(sql.replace("?", `?${params.length}`));
  };
  if (filter.status) add("status = ?", filter.status);
  if (filter.destination) add("destination = ?", filter.destination);
  if (filter.leadId) add("lead_id = ?", filter.leadId);
  if (filter.since) add("created_at >= ?", filter.since);
  if (filter.until) add("created_at < ?", filter.until);
  if (filter.ids) {
    const first = params.length + 1;
    params.push(...filter.ids);
    clauses.push(`id IN (${filter.ids.map((_, i) => `?${first + i}`).join(", ")})`);
  }
  return { sql: clauses.join(" AND "), params };
}

const LIST_COLUMNS = `id, site, lead_id, destination, event_type, status, attempts, next_attempt_at, last_status,
  last_error, last_attempt_at, created_at, delivered_at, dead_at, replays`;

export class D1DeliveryStore implements DeliveryStore {
  readonly #db: D1Database;

  constructor(db: D1Database) {
    this.#db = db;
  }

  async getDelivery(id: string): Promise<Delivery | null> {
    const row = await this.#db.prepare("SELECT * FROM outbox WHERE id = ?1").bind(id).first<OutboxRow>();
    return row ? toDelivery(row) : null;
  }

  async getAttempt(id: string): Promise<AttemptContext | null> {
    // One batch, one round trip: the row, and its destination's state found through it.
    const [rows, states] = await this.#db.batch([
      this.#db.prepare("SELECT * FROM outbox WHERE id = ?1").bind(id),
      this.#db
        .prepare(
          `SELECT s.* FROM destination_state s JOIN outbox o ON s.site = o.site AND s.destination = o.destination
           WHERE o.id = ?1`,
        )
        .bind(id),
    ]);
    const row = rows?.results[0] as OutboxRow | undefined;
    if (!row) return null;
    return { row: toDelivery(row), state: toState((states?.results[0] as StateRow | undefined) ?? null) };
  }

  async recordAttempt(row: Delivery, o: AttemptOutcome, d: DestinationUpdate): Promise<void> {
    const db = this.#db;
    // A plain hold (the destination was already paused) sent nothing: no attempt to count or log.
    const sent = o.kind !== "held" || o.status !== null;
    const statements: D1PreparedStatement[] = [];
    // D1 wants exactly the parameters a statement uses, so each kind binds its own list.
    const counted = sent ? "attempts = attempts + 1, last_status = ?2, last_attempt_at = ?3, " : "";
    const [update, params]: [string, unknown[]] = {
      delivered: [`status = 'delivered', delivered_at = ?3, leased_until = NULL, last_error = NULL`, []],
      retry: [
        `next_attempt_at = ?4, leased_until = ?5, last_error = ?6`,
        [o.nextAttemptAt, o.leasedUntil, o.error],
      ],
      dead: [`status = 'dead', dead_at = ?3, leased_until = NULL, last_error = ?4`, [o.error]],
      held: [
        `next_attempt_at = '${HELD_UNTIL}', leased_until = NULL, last_error = COALESCE(?4, last_error)`,
        [o.error],
      ],
    }[o.kind] as [string, unknown[]];
    statements.push(
      db
        .prepare(
          `UPDATE outbox SET ${counted}${update} WHERE id = ?1 AND status = 'pending' AND ?2 IS ?2 AND ?3 IS ?3`,
        )
        .bind(row.id, o.status, o.at, ...params),
    );
    if (sent) {
      statements.push(
        db
          .prepare(
            `INSERT INTO delivery_attempts (outbox_id, site, destination, at, ok, status, latency_ms, error,
               response_excerpt, next_attempt_at, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)`,
          )
          .bind(
            row.id,
            row.site,
            row.destination,
            o.at,
            o.kind === "delivered" ? 1 : 0,
            o.status,
            Math.round(o.latencyMs),
            o.error,
            o.excerpt,
            o.nextAttemptAt,
            o.kind,
          ),
      );
      statements.push(
        db
          .prepare(
            d.ok
              ? `INSERT INTO destination_state (site, destination, last_success_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (site, destination) DO UPDATE SET consecutive_failures = 0, failing_since = NULL,
                   last_success_at = excluded.last_success_at`
              : `INSERT INTO destination_state (site, destination, failing_since, consecutive_failures, last_failure_at)
                 VALUES (?1, ?2, ?3, 1, ?3)
                 ON CONFLICT (site, destination) DO UPDATE SET consecutive_failures = consecutive_failures + 1,
                   failing_since = COALESCE(failing_since, excluded.failing_since), last_failure_at = excluded.last_failure_at`,
          )
          .bind(row.site, row.destination, d.at),
      );
    }
    if (d.pause) statements.push(this.#pause(row.site, row.destination, d.pause, d.at));
    await db.batch(statements);
  }

  #pause(site: string, destination: string, reason: string, at: string): D1PreparedStatement {
    return this.#db
      .prepare(
        `INSERT INTO destination_state (site, destination, paused, paused_reason, paused_at) VALUES (?1, ?2, 1, ?3, ?4)
         ON CONFLICT (site, destination) DO UPDATE SET
           paused_reason = CASE WHEN paused = 1 THEN paused_reason ELSE excluded.paused_reason END,
           paused_at = CASE WHEN paused = 1 THEN paused_at ELSE excluded.paused_at END, paused = 1`,
      )
      .bind(site, destination, reason, at);
  }

  async claimDue(now: string, leaseUntil: string, limit: number, staleBefore?: string): Promise<string[]> {
    const { results } = await this.#db
      .prepare(
        `UPDATE outbox SET leased_until = ?2 WHERE id IN (
           SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?1
             AND (leased_until IS NULL OR leased_until < ?1 OR (attempts = 0 AND next_attempt_at < ?4))
           ORDER BY next_attempt_at LIMIT ?3)
         RETURNING id`,
      )
      .bind(now, leaseUntil, limit, staleBefore ?? "")
      .all<{ id: string }>();
    return results.map((row) => row.id);
  }

  async listDeliveries(
    filter: DeliveryFilter,
    options: { limit: number; cursor?: string | undefined },
  ): Promise<DeliveryPage> {
    const { sql, params } = where(filter);
    let clause = sql;
    if (options.cursor) {
      const [createdAt, id] = decodeCursor(options.cursor, isTimeAndId) as [string, string];
      params.push(createdAt, id);
      clause += ` AND (created_at, id) < (?${params.length - 1}, ?${params.length})`;
    }
    params.push(options.limit + 1);
    const { results } = await this.#db
      .prepare(
        `SELECT ${LIST_COLUMNS} FROM outbox WHERE ${clause} ORDER BY created_at DESC, id DESC LIMIT ?${params.length}`,
      )
      .bind(...params)
      .all<OutboxRow>();
    const page = results.slice(0, options.limit);
    const last = page.at(-1);
    return {
      deliveries: page.map((row) => {
        const { payload: _payload, ...rest } = toDelivery(row);
        return rest;
      }),
      nextCursor: results.length > options.limit && last ? encodeCursor([last.created_at, last.id]) : null,
    };
  }

  async listAttempts(id: string): Promise<Attempt[]> {
    const { results } = await this.#db
      .prepare(
        `SELECT at, ok, status, latency_ms, error, response_excerpt, next_attempt_at, outcome
         FROM delivery_attempts WHERE outbox_id = ?1 ORDER BY id`,
      )
      .bind(id)
      .all<{
        at: string;
        ok: number;
        status: number | null;
        latency_ms: number;
        error: string | null;
        response_excerpt: string | null;
        next_attempt_at: string | null;
        outcome: Attempt["outcome"];
      }>();
    return results.map((r) => ({
      at: r.at,
      ok: r.ok === 1,
      status: r.status,
      latencyMs: r.latency_ms,
      error: r.error,
      responseExcerpt: r.response_excerpt,
      nextAttemptAt: r.next_attempt_at,
      outcome: r.outcome,
    }));
  }

  async replay(
    filter: DeliveryFilter & { ids?: string[] },
    now: string,
    leaseUntil: string,
    limit: number,
  ): Promise<string[]> {
    const { sql, params } = where({ ...filter, status: filter.status ?? "dead" });
    params.push(now, leaseUntil, limit);
    const n = params.length;
    // Same id (the webhook-id) as before, so receivers dedupe; a fresh retry schedule.
    const { results } = await this.#db
      .prepare(
        `UPDATE outbox SET status = 'pending', attempts = 0, replays = replays + 1, next_attempt_at = ?${n - 2},
           leased_until = ?${n - 1}, dead_at = NULL, delivered_at = NULL
         WHERE id IN (SELECT id FROM outbox WHERE ${sql} ORDER BY created_at LIMIT ?${n})
         RETURNING id`,
      )
      .bind(...params)
      .all<{ id: string }>();
    return results.map((r) => r.id);
  }

  async getDestinationState(site: string, destination: string): Promise<DestinationState> {
    const row = await this.#db
      .prepare("SELECT * FROM destination_state WHERE site = ?1 AND destination = ?2")
      .bind(site, destination)
      .first<StateRow>();
    return toState(row);
  }

  async pauseDestination(site: string, destination: string, reason: string, at: string): Promise<void> {
    await this.#pause(site, destination, reason, at).run();
  }

  async resumeDestination(
    site: string,
    destination: string,
    now: string,
    leaseUntil: string,
  ): Promise<string[]> {
    const [, released] = await this.#db.batch<{ id: string }>([
      this.#db
        .prepare(
          `INSERT INTO destination_state (site, destination) VALUES (?1, ?2)
           ON CONFLICT (site, destination) DO UPDATE SET paused = 0, paused_reason = NULL, paused_at = NULL,
             failing_since = NULL, consecutive_failures = 0`,
        )
        .bind(site, destination),
      this.#db
        .prepare(
          `UPDATE outbox SET next_attempt_at = ?3, leased_until = ?4
           WHERE site = ?1 AND destination = ?2 AND status = 'pending' AND next_attempt_at = '${HELD_UNTIL}'
           RETURNING id`,
        )
        .bind(site, destination, now, leaseUntil),
    ]);
    return (released?.results ?? []).map((r) => r.id);
  }

  async countByDestination(
    site: string,
  ): Promise<Record<string, { pending: number; dead: number; delivered: number }>> {
    const { results } = await this.#db
      .prepare(
        "SELECT destination, status, COUNT(*) AS n FROM outbox WHERE site = ?1 GROUP BY destination, status",
      )
      .bind(site)
      .all<{ destination: string; status: Delivery["status"]; n: number }>();
    const out: Record<string, { pending: number; dead: number; delivered: number }> = {};
    for (const r of results) {
      const counts = out[r.destination] ?? { pending: 0, dead: 0, delivered: 0 };
      counts[r.status] = r.n;
      out[r.destination] = counts;
    }
    return out;
  }
}

export interface StateRow {
  paused: number;
  paused_reason: string | null;
  paused_at: string | null;
  failing_since: string | null;
  consecutive_failures: number;
  last_success_at: string | null;
  last_failure_at: string | null;
}

export function toState(row: StateRow | null): DestinationState {
  return {
    paused: row?.paused === 1,
    pausedReason: row?.paused_reason ?? null,
    pausedAt: row?.paused_at ?? null,
    failingSince: row?.failing_since ?? null,
    consecutiveFailures: row?.consecutive_failures ?? 0,
    lastSuccessAt: row?.last_success_at ?? null,
    lastFailureAt: row?.last_failure_at ?? null,
  };
}
