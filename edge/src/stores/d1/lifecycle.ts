/**
 * A lead's life after capture on D1: guarded updates (everything in one batch, applied only if the
 * lead is still at the revision read), events, stage history, outcomes, leads to re-score.
 */
import type { Lead, Stage } from "../../../../shared/lead.ts";
import { ENQUEUE_LEASE_MS } from "../ports/delivery.ts";
import type {
  LeadEventRecord,
  LeadUpdate,
  LifecycleStore,
  Outcome,
  OutcomeRow,
  StageChange,
} from "../ports/lifecycle.ts";

/** A lead_events row as the port answers it. */
const eventRecord = (r: { type: string; at: string; props: string | null }): LeadEventRecord => ({
  type: r.type,
  at: r.at,
  ...(r.props ? { props: JSON.parse(r.props) as Record<string, unknown> } : {}),
});

export class D1Lifecycle implements LifecycleStore {
  readonly #db: D1Database;

  constructor(db: D1Database) {
    this.#db = db;
  }

  async getLeadForUpdate(id: string): Promise<{ lead: Lead; rev: number } | null> {
    const row = await this.#db
      .prepare("SELECT doc, rev FROM leads WHERE id = ?1")
      .bind(id)
      .first<{ doc: string; rev: number }>();
    return row ? { lead: JSON.parse(row.doc) as Lead, rev: row.rev } : null;
  }

  async updateLead(update: LeadUpdate): Promise<boolean> {
    const db = this.#db;
    const { lead, rev } = update;
    // Everything but the update itself is guarded by the revision read, so a lost race writes nothing.
    const guard = "EXISTS (SELECT 1 FROM leads WHERE id = ?1 AND rev = ?2)";
    const statements: D1PreparedStatement[] = [];
    for (const event of update.events ?? []) {
      statements.push(
        db
          .prepare(
            `INSERT INTO lead_events (site, lead_id, type, at, props, created_at) SELECT ?3, ?1, ?4, ?5, ?6, ?7 WHERE ${guard}`,
          )
          .bind(
            lead.id,
            rev,
            lead.site,
            event.type,
            event.at,
            event.props ? JSON.stringify(event.props) : null,
            lead.updatedAt,
          ),
      );
    }
    if (update.stageChange) {
      const change = update.stageChange;
      statements.push(
        db
          .prepare(
            `INSERT INTO stage_history (site, lead_id, from_stage, to_stage, cause, at) SELECT ?3, ?1, ?4, ?5, ?6, ?7 WHERE ${guard}`,
          )
          .bind(lead.id, rev, lead.site, change.from, change.to, change.cause, change.at),
      );
    }
    if (update.outcome) {
      const o = update.outcome;
      statements.push(
        db
          .prepare(
            `INSERT INTO outcomes (lead_id, site, outcome, at, value, recorded_at) SELECT ?1, ?3, ?4, ?5, ?6, ?7 WHERE ${guard}
             ON CONFLICT (lead_id) DO UPDATE SET outcome = excluded.outcome, at = excluded.at, value = excluded.value,
               recorded_at = excluded.recorded_at`,
          )
          .bind(lead.id, rev, lead.site, o.outcome, o.at, o.value ?? null, lead.updatedAt),
      );
    }
    // Outbox rows carry the lead as written here, and are guarded like the rest by the revision read
    // (not by rev + 1 after the update, which another writer's single write would also satisfy).
    const doc = JSON.stringify(lead);
    for (const d of update.deliveries ?? []) {
      statements.push(
        db
          .prepare(
            `INSERT INTO outbox (id, site, lead_id, destination, event_type, payload, next_attempt_at, leased_until, created_at)
             SELECT ?3, site, id, ?4, ?5, json_object('type', ?5, 'timestamp', ?6, 'data', json(?8)), ?6, ?7, ?6
             FROM leads WHERE id = ?1 AND rev = ?2`,
          )
          .bind(
            lead.id,
            rev,
            d.id,
            d.destination,
            d.eventType,
            lead.updatedAt,
            new Date(Date.parse(lead.updatedAt) + ENQUEUE_LEASE_MS).toISOString(),
            doc,
          ),
      );
    }
    const updateIndex = statements.length;
    statements.push(
      db
        .prepare(
          `UPDATE leads SET doc = ?3, score = ?4, temperature = ?5, stage = ?6, updated_at = ?7,
             scoring_version = COALESCE(?8, scoring_version), rev = rev + 1
           WHERE id = ?1 AND rev = ?2`,
        )
        .bind(
          lead.id,
          rev,
          doc,
          lead.score,
          lead.temperature,
          lead.stage,
          lead.updatedAt,
          update.scoringVersion ?? null,
        ),
    );
    const results = await db.batch(statements);
    return (results[updateIndex]?.meta.changes ?? 0) === 1;
  }

  async listLeadEvents(leadId: string): Promise<LeadEventRecord[]> {
    const { results } = await this.#db
      .prepare("SELECT type, at, props FROM lead_events WHERE lead_id = ?1 ORDER BY at, id")
      .bind(leadId)
      .all<{ type: string; at: string; props: string | null }>();
    return results.map(eventRecord);
  }

  async listStageHistory(leadId: string): Promise<StageChange[]> {
    const { results } = await this.#db
      .prepare("SELECT from_stage, to_stage, cause, at FROM stage_history WHERE lead_id = ?1 ORDER BY at, id")
      .bind(leadId)
      .all<{ from_stage: Stage; to_stage: Stage; cause: string; at: string }>();
    return results.map((r) => ({ from: r.from_stage, to: r.to_stage, cause: r.cause, at: r.at }));
  }

  async leadsToRescore(site: string, version: string, limit: number): Promise<string[]> {
    const { results } = await this.#db
      .prepare(
        "SELECT id FROM leads WHERE site = ?1 AND (scoring_version IS NULL OR scoring_version != ?2) LIMIT ?3",
      )
      .bind(site, version, limit)
      .all<{ id: string }>();
    return results.map((r) => r.id);
  }

  async listOutcomes(site: string, limit: number, after = ""): Promise<OutcomeRow[]> {
    const { results } = await this.#db
      .prepare(
        `SELECT o.lead_id, o.outcome, o.at, l.doc FROM outcomes o JOIN leads l ON l.id = o.lead_id
         WHERE o.site = ?1 AND o.lead_id > ?2 ORDER BY o.lead_id LIMIT ?3`,
      )
      .bind(site, after, limit)
      .all<{ lead_id: string; outcome: OutcomeRow["outcome"]; at: string; doc: string }>();
    if (!results.length) return [];
    const { results: events } = await this.#db
      .prepare(
        `SELECT lead_id, type, at, props FROM lead_events
         WHERE lead_id IN (SELECT value FROM json_each(?1)) ORDER BY at, id`,
      )
      .bind(JSON.stringify(results.map((r) => r.lead_id)))
      .all<{ lead_id: string; type: string; at: string; props: string | null }>();
    const byLead = new Map<string, LeadEventRecord[]>();
    for (const e of events) {
      const list = byLead.get(e.lead_id) ?? [];
      list.push(eventRecord(e));
      byLead.set(e.lead_id, list);
    }
    return results.map((r) => ({
      lead: JSON.parse(r.doc) as Lead,
      outcome: r.outcome,
      at: r.at,
      events: byLead.get(r.lead_id) ?? [],
    }));
  }

  async getOutcome(leadId: string): Promise<Outcome | null> {
    const row = await this.#db
      .prepare("SELECT outcome, at, value FROM outcomes WHERE lead_id = ?1")
      .bind(leadId)
      .first<{ outcome: Outcome["outcome"]; at: string; value: number | null }>();
    return row
      ? { leadId, outcome: row.outcome, at: row.at, ...(row.value !== null ? { value: row.value } : {}) }
      : null;
  }
}
