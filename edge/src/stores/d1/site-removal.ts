/**
 * The SiteRemovalStore port on D1: every table with a site column (migrations/*.sql) but the audit
 * log, in one batch (one transaction: all or nothing). Rate windows (rate_limits) are keyed by an HMAC
 * of (site, client) that does not name the site; the cron prunes them within minutes.
 */
import type { SiteRemovalCounts, SiteRemovalStore } from "../ports/site-removal.ts";

/** Counted by kind; the tables after these are counted together as `other`. */
const COUNTED = [
  ["configVersions", "site_configs"],
  ["leads", "leads"],
  ["submissions", "submissions"],
  ["events", "lead_events"],
  ["stages", "stage_history"],
  ["outcomes", "outcomes"],
  ["deliveries", "outbox"],
  ["attempts", "delivery_attempts"],
] as const;
const OTHER = ["spam", "form_stats", "touch_stats", "capture_health", "destination_state", "erasures"];

export class D1SiteRemoval implements SiteRemovalStore {
  readonly #db: D1Database;

  constructor(db: D1Database) {
    this.#db = db;
  }

  async removeSite(site: string, at: string): Promise<SiteRemovalCounts> {
    const db = this.#db;
    // Site ids are [a-z0-9_-] (shared/config.ts): safe inside a quoted JSON path.
    const path = "'$.\"' || ?1 || '\"'";
    const results = await db.batch([
      ...[...COUNTED.map(([, table]) => table), ...OTHER].map((table) =>
        db.prepare(`DELETE FROM ${table} WHERE site = ?1`).bind(site),
      ),
      db
        .prepare(
          `UPDATE api_tokens SET sites = (SELECT json_group_array(value) FROM json_each(api_tokens.sites) WHERE value != ?1)
           WHERE json_type(sites) = 'array' AND EXISTS (SELECT 1 FROM json_each(api_tokens.sites) WHERE value = ?1)`,
        )
        .bind(site),
      db
        .prepare(
          `UPDATE members SET roles = json_remove(roles, ${path}), updated_at = ?2
           WHERE json_type(roles, ${path}) IS NOT NULL`,
        )
        .bind(site, at),
    ]);
    const changes = results.map((r) => r.meta.changes ?? 0);
    const counts = Object.fromEntries(COUNTED.map(([name], i) => [name, changes[i]!])) as Record<
      (typeof COUNTED)[number][0],
      number
    >;
    const other = changes.slice(COUNTED.length, COUNTED.length + OTHER.length).reduce((a, b) => a + b, 0);
    return { ...counts, other, tokens: changes.at(-2)!, members: changes.at(-1)! };
  }
}
