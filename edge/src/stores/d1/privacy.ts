/** A person's data on D1: exported with its history and outbox rows, or erased in one batch. */
import type { Lead } from "../../../../shared/lead.ts";
import type { ErasureReceipt, PersonExport, PrivacyStore } from "../ports/privacy.ts";
import { D1Leads } from "./leads.ts";
import { D1Lifecycle } from "./lifecycle.ts";

export class D1Privacy implements PrivacyStore {
  readonly #db: D1Database;

  constructor(db: D1Database) {
    this.#db = db;
  }

  async exportPerson(site: string, dedupeKey: string): Promise<PersonExport | null> {
    const row = await this.#db
      .prepare("SELECT id, doc FROM leads WHERE site = ?1 AND dedupe_key = ?2")
      .bind(site, dedupeKey)
      .first<{ id: string; doc: string }>();
    if (!row) return null;
    const id = row.id;
    const lifecycle = new D1Lifecycle(this.#db);
    const [submissions, events, stages, outcome, outbox] = await Promise.all([
      new D1Leads(this.#db).listSubmissions(id),
      lifecycle.listLeadEvents(id),
      lifecycle.listStageHistory(id),
      lifecycle.getOutcome(id),
      this.#db
        .prepare(
          "SELECT id, destination, event_type, status, created_at, payload FROM outbox WHERE lead_id = ?1 ORDER BY created_at, id",
        )
        .bind(id)
        .all<{
          id: string;
          destination: string;
          event_type: string;
          status: string;
          created_at: string;
          payload: string;
        }>(),
    ]);
    return {
      lead: JSON.parse(row.doc) as Lead,
      submissions,
      events,
      stages,
      outcome,
      deliveries: outbox.results.map((d) => ({
        id: d.id,
        destination: d.destination,
        eventType: d.event_type,
        status: d.status,
        createdAt: d.created_at,
        ...(d.status === "pending" ? { payload: JSON.parse(d.payload) as unknown } : {}),
      })),
    };
  }

  async erasePerson(
    site: string,
    dedupeKey: string,
    erasure: { id: string; at: string },
  ): Promise<ErasureReceipt | null> {
    const db = this.#db;
    const lead = "(SELECT id FROM leads WHERE site = ?1 AND dedupe_key = ?2)";
    // Counted, then deleted, then recorded: one batch, so an erasure is never half done.
    const results = await db.batch([
      db
        .prepare(
          `SELECT
             (SELECT COUNT(*) FROM leads WHERE site = ?1 AND dedupe_key = ?2) AS leads,
             (SELECT COUNT(*) FROM submissions WHERE lead_id IN ${lead}) AS submissions,
             (SELECT COUNT(*) FROM lead_events WHERE lead_id IN ${lead}) AS events,
             (SELECT COUNT(*) FROM stage_history WHERE lead_id IN ${lead}) AS stages,
             (SELECT COUNT(*) FROM outcomes WHERE lead_id IN ${lead}) AS outcomes,
             (SELECT COUNT(*) FROM outbox WHERE lead_id IN ${lead}) AS deliveries`,
        )
        .bind(site, dedupeKey),
      db
        .prepare(
          `INSERT INTO erasures (id, site, at, removed)
           SELECT ?3, ?1, ?4, json_object(
             'leads', COUNT(*),
             'submissions', (SELECT COUNT(*) FROM submissions WHERE lead_id IN ${lead}),
             'events', (SELECT COUNT(*) FROM lead_events WHERE lead_id IN ${lead}),
             'stages', (SELECT COUNT(*) FROM stage_history WHERE lead_id IN ${lead}),
             'outcomes', (SELECT COUNT(*) FROM outcomes WHERE lead_id IN ${lead}),
             'deliveries', (SELECT COUNT(*) FROM outbox WHERE lead_id IN ${lead}))
           FROM leads WHERE site = ?1 AND dedupe_key = ?2 HAVING COUNT(*) > 0`,
        )
        .bind(site, dedupeKey, erasure.id, erasure.at),
      db.prepare(`DELETE FROM submissions WHERE lead_id IN ${lead}`).bind(site, dedupeKey),
      db.prepare(`DELETE FROM lead_events WHERE lead_id IN ${lead}`).bind(site, dedupeKey),
      db.prepare(`DELETE FROM stage_history WHERE lead_id IN ${lead}`).bind(site, dedupeKey),
      db.prepare(`DELETE FROM outcomes WHERE lead_id IN ${lead}`).bind(site, dedupeKey),
      db.prepare(`DELETE FROM outbox WHERE lead_id IN ${lead}`).bind(site, dedupeKey),
      db.prepare("DELETE FROM leads WHERE site = ?1 AND dedupe_key = ?2").bind(site, dedupeKey),
    ]);
    const removed = results[0]?.results[0] as ErasureReceipt["removed"] | undefined;
    if (!removed || removed.leads === 0) return null;
    return { id: erasure.id, site, at: erasure.at, removed };
  }
}
