/**
 * `DELETE /v1/admin/sites/{site}`: deleting a site and everything stored for it. The body names the
 * site again, so a slip of the URL never deletes the wrong one; the answer counts what was removed.
 * The audit log keeps its entries (the deletion's among them).
 */
import * as z from "zod/mini";

/** The site's id, typed again to confirm. */
export const DeleteSiteBodySchema = z.object({ confirm: z.string().check(z.maxLength(64)) });
export type DeleteSiteBody = z.infer<typeof DeleteSiteBodySchema>;

/** How much of each kind of record the deletion removed (tokens, members: how many lost the site). */
export const SiteRemovalCountsSchema = z.object({
  /** Saved config versions. */
  configVersions: z.number(),
  leads: z.number(),
  submissions: z.number(),
  /** Lead events (product and engagement events). */
  events: z.number(),
  /** Stage changes. */
  stages: z.number(),
  outcomes: z.number(),
  /** Outbox rows (deliveries to destinations), whatever their state. */
  deliveries: z.number(),
  /** Their logged attempts. */
  attempts: z.number(),
  /**
   * Everything else of the site: counters per day, capture health, bot submissions, destination
   * states, erasure records, rate windows and indexes (rows on D1, keys on Upstash).
   */
  other: z.number(),
  /** API tokens whose site list named it (the site was taken out of the list). */
  tokens: z.number(),
  /** Members who held a role on it (that role was taken away). */
  members: z.number(),
});
export type SiteRemovalCounts = z.infer<typeof SiteRemovalCountsSchema>;

export const SiteRemovalSchema = z.object({
  site: z.string(),
  removed: SiteRemovalCountsSchema,
});
export type SiteRemoval = z.infer<typeof SiteRemovalSchema>;
