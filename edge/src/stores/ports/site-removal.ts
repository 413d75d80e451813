/**
 * The SiteRemovalStore port: deletes everything stored for one site, atomically (one D1 batch, one
 * Upstash script): its saved configs, leads with their submissions, events, stages and outcomes, its
 * outbox rows and their attempts, counters, capture health, rate windows kept under its name, and the
 * site from tokens' site lists and members' roles. The audit log is kept whole.
 */
import type { SiteRemovalCounts } from "../../../../shared/api/site-removal.ts";

export type { SiteRemovalCounts } from "../../../../shared/api/site-removal.ts";

export interface SiteRemovalStore {
  /** Removes the site's data; `at` is recorded as the members' `updatedAt`. Zero counts for an unknown site. */
  removeSite(site: string, at: string): Promise<SiteRemovalCounts>;
}
