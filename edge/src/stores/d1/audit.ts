/** The AuditStore port on D1: one row per entry (migrations/0011_people_access.sql). */
import type { AuditEntry, AuditStore } from "../ports/audit.ts";

interface Row {
  id: string;
  site: string;
  at: string;
  actor: string;
  actor_kind: string;
  action: string;
  target: string;
}

export class D1AuditStore implements AuditStore {
  readonly #db: D1Database;

  constructor(db: D1Database) {
    this.#db = db;
  }

  async appendAudit(entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const insert = this.#db.prepare(
      "INSERT INTO audit_log (id, site, at, actor, actor_kind, action, target) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    );
    await this.#db.batch(
      entries.map((e) => insert.bind(e.id, e.site, e.at, e.actor, e.actorKind, e.action, e.target)),
    );
  }

  async listAudit(site: string, limit: number, before?: string): Promise<AuditEntry[]> {
    const { results } = await this.#db
      .prepare(
        `SELECT id, site, at, actor, actor_kind, action, target FROM audit_log
         WHERE site IN (?1, '*') AND id < ?2 ORDER BY id DESC LIMIT ?3`,
      )
      .bind(site, before ?? "\u{10FFFF}", limit)
      .all<Row>();
    return results.map((r) => ({
      id: r.id,
      site: r.site,
      at: r.at,
      actor: r.actor,
      actorKind: r.actor_kind as AuditEntry["actorKind"],
      action: r.action,
      target: r.target,
    }));
  }
}
