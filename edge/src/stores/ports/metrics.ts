/** Dashboard numbers: the widget's event counters in, a site's metrics over a date range out. */

import type { EventCount, SiteMetrics } from "../../../../shared/api/metrics.ts";

// The counters in and the numbers out are admin API shapes (shared/api/metrics.ts).
export type { EventCount, SiteMetrics } from "../../../../shared/api/metrics.ts";

/** The most campaigns metrics list. */
export const MAX_CAMPAIGNS = 200;

export interface MetricsStore {
  /** Adds to the daily widget event counters (one call per events request). */
  countEvents(site: string, counts: EventCount[]): Promise<void>;
  /** Aggregates for dashboards over [from, to) (ISO dates). */
  metrics(site: string, from: string, to: string): Promise<SiteMetrics>;
}
