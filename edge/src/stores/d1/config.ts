/** The SiteConfigStore port on D1: one row per version (migrations/0008_site_configs.sql). */
import type { ConfigVersion, ConfigVersionSummary, SiteConfigStore } from "../ports/config.ts";

interface Row {
  site: string;
  version: number;
  config?: string;
  note: string;
  author: string;
  created_at: string;
}

const summary = (row: Row): ConfigVersionSummary => ({
  site: row.site,
  version: row.version,
  note: row.note,
  author: row.author,
  createdAt: row.created_at,
});

const full = (row: Row): ConfigVersion => ({ ...summary(row), config: JSON.parse(row.config ?? "null") });

export class D1SiteConfigStore implements SiteConfigStore {
  readonly #db: D1Database;

  constructor(db: D1Database) {
    this.#db = db;
  }

  async currentConfigs(): Promise<ConfigVersion[]> {
    const { results } = await this.#db
      .prepare(
        `SELECT site, version, config, note, author, created_at FROM site_configs AS v
         WHERE version = (SELECT MAX(version) FROM site_configs WHERE site = v.site)`,
      )
      .all<Row>();
    return results.map(full);
  }

  async saveConfig(entry: ConfigVersion): Promise<boolean> {
    // The version is claimed only if it follows the newest; the primary key backs this up.
    try {
      const result = await this.#db
        .prepare(
          `INSERT INTO site_configs (site, version, config, note, author, created_at)
           SELECT ?1, ?2, ?3, ?4, ?5, ?6
           WHERE (SELECT COALESCE(MAX(version), 0) FROM site_configs WHERE site = ?1) = ?2 - 1`,
        )
        .bind(
          entry.site,
          entry.version,
          JSON.stringify(entry.config),
          entry.note,
          entry.author,
          entry.createdAt,
        )
        .run();
      return result.meta.changes === 1;
    } catch (error) {
      if (error instanceof Error && error.message.includes("UNIQUE constraint failed")) return false;
      throw error;
    }
  }

  async listConfigVersions(site: string, limit: number, before?: number): Promise<ConfigVersionSummary[]> {
    const { results } = await this.#db
      .prepare(
        `SELECT site, version, note, author, created_at FROM site_configs
         WHERE site = ?1 AND version < ?2 ORDER BY version DESC LIMIT ?3`,
      )
      .bind(site, before ?? Number.MAX_SAFE_INTEGER, limit)
      .all<Row>();
    return results.map(summary);
  }

  async getConfigVersion(site: string, version: number): Promise<ConfigVersion | null> {
    const row = await this.#db
      .prepare(
        "SELECT site, version, config, note, author, created_at FROM site_configs WHERE site = ?1 AND version = ?2",
      )
      .bind(site, version)
      .first<Row>();
    return row ? full(row) : null;
  }
}
