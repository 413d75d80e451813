/**
 * The SiteConfigStore port: site configurations saved from the console, every version kept, in the
 * same store as the leads (D1 or Upstash). Versions count up from 1 per site; saving is optimistic:
 * a save names the version it was based on and fails if another save came first, so two marketers
 * editing at once never overwrite each other silently.
 */

import type { ConfigVersion, ConfigVersionSummary } from "../../../../shared/api/config.ts";

// A saved version is an admin API shape (shared/api/config.ts).
export type { ConfigVersion, ConfigVersionSummary } from "../../../../shared/api/config.ts";

export interface SiteConfigStore {
  /** The newest saved version of every site that has one. */
  currentConfigs(): Promise<ConfigVersion[]>;
  /**
   * Saves `entry` as version `entry.version`, which must be one more than the site's newest (0 when
   * none is saved). False, and nothing written, when the site's newest version is not `version - 1`.
   */
  saveConfig(entry: ConfigVersion): Promise<boolean>;
  /** Newest first, versions below `before` (all when undefined), at most `limit`. */
  listConfigVersions(site: string, limit: number, before?: number): Promise<ConfigVersionSummary[]>;
  getConfigVersion(site: string, version: number): Promise<ConfigVersion | null>;
}
