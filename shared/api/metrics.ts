/** The admin API's numbers: a site's metrics over a date range, and the widget event counters behind them. */
import * as z from "zod/mini";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `?from=&to=` of the admin reports: UTC days, `to` excluded, the last 30 days by default. */
export const DayRangeQuerySchema = z.object({
  from: z.optional(z.string().check(z.regex(DAY, "YYYY-MM-DD"))),
  to: z.optional(z.string().check(z.regex(DAY, "YYYY-MM-DD"))),
});

/** Widget events of one form, day and type; with the visitor's channel and campaign when known. */
export const EventCountSchema = z.object({
  form: z.string(),
  day: z.string(),
  type: z.string(),
  count: z.number(),
  /** The visitor's channel, from the latest touch the widget sent (older widgets send none). */
  channel: z.optional(z.string()),
  /** Its utm_campaign, "" for none. */
  campaign: z.optional(z.string()),
});
export type EventCount = z.infer<typeof EventCountSchema>;

const counts = z.record(z.string(), z.number());

/** A site's numbers over a date range (days are UTC, `to` exclusive). */
export const SiteMetricsSchema = z.object({
  from: z.string(),
  to: z.string(),
  leads: z.number(),
  leadsByDay: z.array(z.object({ day: z.string(), leads: z.number() })),
  byTemperature: counts,
  byStage: counts,
  /**
   * By first-touch channel: leads, and those sales accepted (SQL or customer); and the widget's form
   * impressions to visitors from that channel (their latest touch), for visitor → lead conversion.
   */
  byChannel: z.array(
    z.object({ channel: z.string(), leads: z.number(), accepted: z.number(), impressions: z.number() }),
  ),
  /**
   * By first-touch channel and campaign (utm_campaign; visits without one are not listed): leads,
   * those sales accepted, and form impressions, the most leads first (at most 200).
   */
  byCampaign: z.array(
    z.object({
      channel: z.string(),
      campaign: z.string(),
      leads: z.number(),
      accepted: z.number(),
      impressions: z.number(),
    }),
  ),
  /** By form: impressions and submits from the widget's events, leads created. */
  byForm: z.array(
    z.object({ form: z.string(), impressions: z.number(), submits: z.number(), leads: z.number() }),
  ),
  spam: z.object({ total: z.number(), byReason: counts }),
});
export type SiteMetrics = z.infer<typeof SiteMetricsSchema>;
