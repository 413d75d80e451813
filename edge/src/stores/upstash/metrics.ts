/**
 * Dashboard numbers on Upstash Redis, from the per-day counters the writes keep (scripts/lib/counters.ts)
 * and the widget's event counters: never a scan of the leads.
 */
import { byTouch } from "../by-touch.ts";
import type { EventCount, MetricsStore, SiteMetrics } from "../ports/metrics.ts";
import { type RedisCommands, runScript } from "./rest.ts";
import { METRICS } from "./scripts/metrics.ts";

/** The longest range metrics reads (two hashes per day, in one script). */
const MAX_METRICS_DAYS = 3 * 366;

export class UpstashMetrics implements MetricsStore {
  readonly #redis: RedisCommands;

  /** An @upstash/redis client must be created with `automaticDeserialization: false`: scripts answer JSON text. */
  constructor(redis: RedisCommands) {
    this.#redis = redis;
  }

  async countEvents(site: string, counts: EventCount[]): Promise<void> {
    // Auto-pipelined: one round trip whatever the number of counters. Fields: "<form>|<type>", and
    // "@t|<channel>|<campaign>|<type>" by the visitor's touch ("@" is not allowed in form ids).
    await Promise.all(
      counts.flatMap((c) => [
        this.#redis.hincrby(`lc:${site}:stats:${c.day}`, `${c.form}|${c.type}`, c.count),
        ...(c.channel
          ? [
              this.#redis.hincrby(
                `lc:${site}:stats:${c.day}`,
                `@t|${c.channel}|${c.campaign ?? ""}|${c.type}`,
                c.count,
              ),
            ]
          : []),
      ]),
    );
  }

  /**
   * A site's numbers over the UTC days [from, to) (YYYY-MM-DD), from the per-day counters the writes
   * keep: one script reading two hashes per day, never a scan of the leads.
   */
  async metrics(site: string, from: string, to: string): Promise<SiteMetrics> {
    const days: string[] = [];
    const last = Date.parse(to.slice(0, 10));
    for (let t = Date.parse(from.slice(0, 10)); t < last && days.length < MAX_METRICS_DAYS; t += 86_400_000)
      days.push(new Date(t).toISOString().slice(0, 10));
    const reply = (await runScript(
      this.#redis,
      METRICS,
      days.flatMap((day) => [`lc:${site}:m:${day}`, `lc:${site}:stats:${day}`]),
      [],
    )) as string[][];
    const sum = (into: Record<string, number>, key: string, n: number) => {
      if (n) into[key] = (into[key] ?? 0) + n;
    };
    const leadsByDay: { day: string; leads: number }[] = [];
    const byTemperature: Record<string, number> = {};
    const byStage: Record<string, number> = {};
    const channels: Record<string, number> = {};
    const accepted: Record<string, number> = {};
    const campaigns: Record<string, number> = {};
    const touches: { channel: string; campaign: string; impressions: number }[] = [];
    const campaignsAccepted: Record<string, number> = {};
    const leadsPerForm: Record<string, number> = {};
    const impressions: Record<string, number> = {};
    const submits: Record<string, number> = {};
    const spam: Record<string, number> = {};
    days.forEach((day, d) => {
      const counters = reply[2 * d] ?? [];
      for (let i = 0; i < counters.length; i += 2) {
        const field = counters[i]!;
        const n = Number(counters[i + 1]);
        const colon = field.indexOf(":");
        const [kind, name] = colon < 0 ? [field, ""] : [field.slice(0, colon), field.slice(colon + 1)];
        if (field === "leads" && n > 0) leadsByDay.push({ day, leads: n });
        else if (kind === "t") sum(byTemperature, name, n);
        else if (kind === "s") sum(byStage, name, n);
        else if (kind === "c") sum(channels, name, n);
        else if (kind === "a") sum(accepted, name, n);
        else if (kind === "p") sum(campaigns, name, n);
        else if (kind === "pa") sum(campaignsAccepted, name, n);
        else if (kind === "f") sum(leadsPerForm, name, n);
        else if (kind === "spam") sum(spam, name, n);
      }
      const stats = reply[2 * d + 1] ?? [];
      for (let i = 0; i < stats.length; i += 2) {
        if (stats[i]!.startsWith("@t|")) {
          // Channel names have no "|"; a campaign may: it is what lies between the channel and the type.
          const field = stats[i]!.slice(3);
          const channel = field.slice(0, field.indexOf("|"));
          const type = field.slice(field.lastIndexOf("|") + 1);
          const campaign = field.slice(channel.length + 1, field.length - type.length - 1);
          if (type === "impression") touches.push({ channel, campaign, impressions: Number(stats[i + 1]) });
          continue;
        }
        const [form = "", type] = stats[i]!.split("|");
        if (type === "impression") sum(impressions, form, Number(stats[i + 1]));
        if (type === "submit") sum(submits, form, Number(stats[i + 1]));
      }
    });
    const forms = [
      ...new Set([...Object.keys(impressions), ...Object.keys(submits), ...Object.keys(leadsPerForm)]),
    ];
    return {
      from,
      to,
      leads: leadsByDay.reduce((total, d) => total + d.leads, 0),
      leadsByDay,
      byTemperature,
      byStage,
      ...byTouch(
        Object.entries(channels).map(([channel, leads]) => ({
          channel,
          leads,
          accepted: accepted[channel] ?? 0,
        })),
        Object.entries(campaigns).map(([key, leads]) => {
          const bar = key.indexOf("|");
          return {
            channel: key.slice(0, bar),
            campaign: key.slice(bar + 1),
            leads,
            accepted: campaignsAccepted[key] ?? 0,
          };
        }),
        touches,
      ),
      byForm: forms.map((form) => ({
        form,
        impressions: impressions[form] ?? 0,
        submits: submits[form] ?? 0,
        leads: leadsPerForm[form] ?? 0,
      })),
      spam: { total: Object.values(spam).reduce((a, b) => a + b, 0), byReason: spam },
    };
  }
}
