/**
 * Dashboard numbers on D1: the widget's event counters (form_stats, touch_stats) and a site's metrics,
 * counted from the leads themselves in one batch.
 */
import { byTouch } from "../by-touch.ts";
import { type EventCount, MAX_CAMPAIGNS, type MetricsStore, type SiteMetrics } from "../ports/metrics.ts";

export class D1Metrics implements MetricsStore {
  readonly #db: D1Database;

  constructor(db: D1Database) {
    this.#db = db;
  }

  async countEvents(site: string, counts: EventCount[]): Promise<void> {
    const upsert = this.#db.prepare(
      `INSERT INTO form_stats (site, form, day, type, count) VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (site, form, day, type) DO UPDATE SET count = count + excluded.count`,
    );
    const byTouch = this.#db.prepare(
      `INSERT INTO touch_stats (site, day, channel, campaign, type, count) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT (site, day, channel, campaign, type) DO UPDATE SET count = count + excluded.count`,
    );
    await this.#db.batch(
      counts.flatMap((c) => [
        upsert.bind(site, c.form, c.day, c.type, c.count),
        ...(c.channel ? [byTouch.bind(site, c.day, c.channel, c.campaign ?? "", c.type, c.count)] : []),
      ]),
    );
  }

  async metrics(site: string, from: string, to: string): Promise<SiteMetrics> {
    const db = this.#db;
    const range = "site = ?1 AND created_at >= ?2 AND created_at < ?3";
    const [byDay, byTemperature, byStage, byChannel, byForm, stats, spam, byCampaign, touches] =
      await db.batch([
        db
          .prepare(
            `SELECT substr(created_at, 1, 10) AS day, COUNT(*) AS n FROM leads WHERE ${range} GROUP BY day ORDER BY day`,
          )
          .bind(site, from, to),
        db
          .prepare(`SELECT temperature AS k, COUNT(*) AS n FROM leads WHERE ${range} GROUP BY temperature`)
          .bind(site, from, to),
        db
          .prepare(`SELECT stage AS k, COUNT(*) AS n FROM leads WHERE ${range} GROUP BY stage`)
          .bind(site, from, to),
        db
          .prepare(
            `SELECT COALESCE(json_extract(doc, '$.firstTouch.channel'), 'other') AS k, COUNT(*) AS n,
                  SUM(stage IN ('SQL', 'customer')) AS accepted
           FROM leads WHERE ${range} GROUP BY k ORDER BY n DESC`,
          )
          .bind(site, from, to),
        db
          .prepare(`SELECT form AS k, COUNT(*) AS n FROM leads WHERE ${range} GROUP BY form`)
          .bind(site, from, to),
        db
          .prepare(
            `SELECT form AS k, SUM(CASE WHEN type = 'impression' THEN count ELSE 0 END) AS impressions,
                  SUM(CASE WHEN type = 'submit' THEN count ELSE 0 END) AS submits
           FROM form_stats WHERE site = ?1 AND day >= substr(?2, 1, 10) AND day < substr(?3, 1, 10) GROUP BY form`,
          )
          .bind(site, from, to),
        db
          .prepare(
            `SELECT CASE WHEN instr(reason, ':') > 0 THEN substr(reason, 1, instr(reason, ':') - 1) ELSE reason END AS k,
                  COUNT(*) AS n FROM spam WHERE ${range} GROUP BY k`,
          )
          .bind(site, from, to),
        db
          .prepare(
            `SELECT COALESCE(NULLIF(json_extract(doc, '$.firstTouch.channel'), ''), 'other') AS channel,
                  json_extract(doc, '$.firstTouch.utm_campaign') AS campaign, COUNT(*) AS n,
                  SUM(stage IN ('SQL', 'customer')) AS accepted
           FROM leads WHERE ${range} AND COALESCE(json_extract(doc, '$.firstTouch.utm_campaign'), '') != ''
           GROUP BY channel, campaign ORDER BY n DESC, campaign LIMIT ${MAX_CAMPAIGNS}`,
          )
          .bind(site, from, to),
        db
          .prepare(
            `SELECT channel, campaign, SUM(count) AS n FROM touch_stats
           WHERE site = ?1 AND day >= substr(?2, 1, 10) AND day < substr(?3, 1, 10) AND type = 'impression'
           GROUP BY channel, campaign`,
          )
          .bind(site, from, to),
      ]);
    type Row = { k: string; n: number };
    const rows = <T>(r: D1Result | undefined) => (r?.results ?? []) as T[];
    const counts = (r: D1Result | undefined) => Object.fromEntries(rows<Row>(r).map((x) => [x.k, x.n]));
    const leadsPerForm = counts(byForm);
    const forms = new Map<string, { form: string; impressions: number; submits: number; leads: number }>();
    for (const x of rows<{ k: string; impressions: number; submits: number }>(stats)) {
      forms.set(x.k, {
        form: x.k,
        impressions: x.impressions,
        submits: x.submits,
        leads: leadsPerForm[x.k] ?? 0,
      });
    }
    for (const [form, n] of Object.entries(leadsPerForm))
      if (!forms.has(form)) forms.set(form, { form, impressions: 0, submits: 0, leads: n });
    const days = rows<{ day: string; n: number }>(byDay).map((x) => ({ day: x.day, leads: x.n }));
    const spamByReason = counts(spam);
    return {
      from,
      to,
      leads: days.reduce((sum, d) => sum + d.leads, 0),
      leadsByDay: days,
      byTemperature: counts(byTemperature),
      byStage: counts(byStage),
      ...byTouch(
        rows<Row & { accepted: number }>(byChannel).map((x) => ({
          channel: x.k,
          leads: x.n,
          accepted: x.accepted,
        })),
        rows<{ channel: string; campaign: string; n: number; accepted: number }>(byCampaign).map((x) => ({
          channel: x.channel,
          campaign: String(x.campaign),
          leads: x.n,
          accepted: x.accepted,
        })),
        rows<{ channel: string; campaign: string; n: number }>(touches).map((x) => ({
          channel: x.channel,
          campaign: x.campaign,
          impressions: x.n,
        })),
      ),
      byForm: [...forms.values()],
      spam: { total: Object.values(spamByReason).reduce((a, b) => a + b, 0), byReason: spamByReason },
    };
  }
}
