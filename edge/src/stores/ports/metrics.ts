/** Dashboard numbers: the widget's event counters in, a site's metrics over a date range out. */

/** Widget events of one form, day and type; with the visitor's channel and campaign when known. */
export interface EventCount {
  form: string;
  day: string;
  type: string;
  count: number;
  /** The visitor's channel, from the latest touch the widget sent (older widgets send none). */
  channel?: string | undefined;
  /** Its utm_campaign, "" for none. */
  campaign?: string | undefined;
}

/** The most campaigns metrics list. */
export const MAX_CAMPAIGNS = 200;

/** A site's numbers over a date range (days are UTC, `to` exclusive). */
export interface SiteMetrics {
  from: string;
  to: string;
  leads: number;
  leadsByDay: { day: string; leads: number }[];
  byTemperature: Record<string, number>;
  byStage: Record<string, number>;
  /**
   * By first-touch channel: leads, and those sales accepted (SQL or customer); and the widget's form
   * impressions to visitors from that channel (their latest touch), for visitor → lead conversion.
   */
  byChannel: { channel: string; leads: number; accepted: number; impressions: number }[];
  /**
   * By first-touch channel and campaign (utm_campaign; visits without one are not listed): leads,
   * those sales accepted, and form impressions, the most leads first, at most MAX_CAMPAIGNS. For cost
   * per lead and conversion by campaign.
   */
  byCampaign: { channel: string; campaign: string; leads: number; accepted: number; impressions: number }[];
  /** By form: impressions and submits from the widget's events, leads created. */
  byForm: { form: string; impressions: number; submits: number; leads: number }[];
  spam: { total: number; byReason: Record<string, number> };
}

export interface MetricsStore {
  /** Adds to the daily widget event counters (one call per events request). */
  countEvents(site: string, counts: EventCount[]): Promise<void>;
  /** Aggregates for dashboards over [from, to) (ISO dates). */
  metrics(site: string, from: string, to: string): Promise<SiteMetrics>;
}
