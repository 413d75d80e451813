/**
 * Metrics over a date range (UTC days, both ends included here; the API's `to` is exclusive): lead
 * volume, visitor → lead conversion per form (from the widget's impressions), channels with their
 * lead → SQL rate, temperature and stage mix, spam caught.
 */
import { useEffect } from "preact/hooks";
import { api, query, type SiteMetrics } from "../api.ts";
import { dirty, ensureConfig, saved } from "../config-store.ts";
import { addDays, formatNumber, formatRate, humanize } from "../format.ts";
import { STAGES, TEMPERATURES } from "../leads-query.ts";
import { href, navigate } from "../router.ts";
import { session } from "../session.ts";
import { campaignCosts, costPerLead, type SpendRow, spendByChannel } from "../spend.ts";
import { Bars, Chart, DayBars, Stacked } from "../ui/charts.tsx";
import { LoadState, PageTitle, ScrollRegion, useLoad } from "../ui/common.tsx";
import { RangeForm, rangeFrom } from "../ui/range.tsx";

/** Kept here too: the range is the metrics screen's first. */
export { rangeFrom };

export function MetricsScreen({ params }: { params: URLSearchParams }) {
  const site = session.value!.site;
  const { from, to } = rangeFrom(params);
  const [load] = useLoad(`${site}:${from}:${to}`, (signal) =>
    api<SiteMetrics>(`/v1/admin/metrics${query({ site, from, to: addDays(to, 1) })}`, { signal }),
  );
  const setRange = (next: { from: string; to: string }) => navigate(href("metrics", next));

  return (
    <>
      <div class="page-head">
        <PageTitle title="Metrics">Metrics</PageTitle>
      </div>
      <RangeForm from={from} to={to} idPrefix="m" onChange={setRange} />
      <LoadState load={load} what="metrics" />
      {load.state === "ready" && <Dashboard m={load.data} />}
      {load.state === "ready" && <CostPerLead m={load.data} from={from} to={to} />}
    </>
  );
}

/** Every day of the range, with 0 for days without leads (the API lists only days that had some). */
export function everyDay(
  m: Pick<SiteMetrics, "from" | "to" | "leadsByDay">,
): { day: string; leads: number }[] {
  const counts = new Map(m.leadsByDay.map((d) => [d.day, d.leads]));
  const days: { day: string; leads: number }[] = [];
  for (let day = m.from; day < m.to && days.length < 3660; day = addDays(day, 1))
    days.push({ day, leads: counts.get(day) ?? 0 });
  return days;
}

function Dashboard({ m }: { m: SiteMetrics }) {
  const byDay = everyDay(m);
  const impressions = m.byForm.reduce((s, f) => s + f.impressions, 0);
  const formLeads = m.byForm.reduce((s, f) => s + f.leads, 0);
  const accepted = m.byChannel.reduce((s, c) => s + c.accepted, 0);
  const channelLeads = m.byChannel.reduce((s, c) => s + c.leads, 0);
  const forms = [...m.byForm].sort((a, b) => b.leads - a.leads);
  const channels = [...m.byChannel].sort((a, b) => b.leads - a.leads);
  const campaignRows = (m.byCampaign ?? []).slice(0, 50);
  const spam = Object.entries(m.spam.byReason).sort((a, b) => b[1] - a[1]);
  const busiest = byDay.reduce((best, d) => (d.leads > best.leads ? d : best), { day: "", leads: 0 });

  return (
    <>
      <ul class="kpis">
        <li class="card">
          <span class="kpi-label">Leads</span>
          <span class="kpi-value">{formatNumber(m.leads)}</span>
        </li>
        <li class="card">
          <span class="kpi-label">Visitor → lead</span>
          <span class="kpi-value">{formatRate(formLeads, impressions)}</span>
          <span class="muted small">{formatNumber(impressions)} form impressions</span>
        </li>
        <li class="card">
          <span class="kpi-label">Lead → SQL</span>
          <span class="kpi-value">{formatRate(accepted, channelLeads)}</span>
          <span class="muted small">{formatNumber(accepted)} accepted by sales</span>
        </li>
        <li class="card">
          <span class="kpi-label">Spam caught</span>
          <span class="kpi-value">{formatNumber(m.spam.total)}</span>
        </li>
      </ul>

      <div class="grid charts">
        <section class="card wide" aria-labelledby="c-volume">
          <h2 id="c-volume">Lead volume</h2>
          <Chart
            title="New leads per day (UTC)"
            summary={`${formatNumber(m.leads)} leads over ${byDay.length} days${
              busiest.leads ? `; the busiest day had ${busiest.leads}` : ""
            }.`}
            table={{ head: ["Day", "Leads"], rows: byDay.map((d) => [d.day, d.leads]) }}
          >
            <DayBars data={byDay} label="leads" />
          </Chart>
        </section>

        <section class="card" aria-labelledby="c-forms">
          <h2 id="c-forms">Conversion by form</h2>
          <Chart
            title="Leads per form impression"
            summary={
              forms.map((f) => `${f.form}: ${formatRate(f.leads, f.impressions)}`).join("; ") ||
              "No form data."
            }
            table={{
              head: ["Form", "Impressions", "Submits", "Leads", "Conversion"],
              rows: forms.map((f) => [
                f.form,
                f.impressions,
                f.submits,
                f.leads,
                formatRate(f.leads, f.impressions),
              ]),
            }}
          >
            <Bars
              max={Math.max(...forms.map((f) => (f.impressions ? f.leads / f.impressions : 0)), 0.0001)}
              rows={forms.map((f) => ({
                key: f.form,
                label: f.form,
                value: f.impressions ? f.leads / f.impressions : 0,
                text: `${formatRate(f.leads, f.impressions)} · ${formatNumber(f.leads)}/${formatNumber(f.impressions)}`,
              }))}
            />
          </Chart>
        </section>

        <section class="card" aria-labelledby="c-channels">
          <h2 id="c-channels">Channels</h2>
          <Chart
            title="Leads by first-touch channel, with visitor → lead and lead → SQL rates"
            summary={
              channels.map((c) => `${humanize(c.channel)}: ${c.leads} leads`).join("; ") || "No leads."
            }
            table={{
              head: [
                "Channel",
                "Form impressions",
                "Leads",
                "Visitor → lead",
                "Accepted (SQL+)",
                "Lead → SQL",
              ],
              rows: channels.map((c) => [
                humanize(c.channel),
                c.impressions ?? 0,
                c.leads,
                formatRate(c.leads, c.impressions ?? 0),
                c.accepted,
                formatRate(c.accepted, c.leads),
              ]),
            }}
          >
            <Bars
              rows={channels.map((c) => ({
                key: c.channel,
                label: humanize(c.channel),
                value: c.leads,
                text: `${formatNumber(c.leads)}${c.impressions ? ` · ${formatRate(c.leads, c.impressions)} of visitors` : ""} · ${formatRate(c.accepted, c.leads)} SQL`,
              }))}
            />
          </Chart>
        </section>

        <section class="card" aria-labelledby="c-campaigns">
          <h2 id="c-campaigns">Campaigns</h2>
          {campaignRows.length === 0 ? (
            <p class="muted">No visits or leads with a campaign (utm_campaign) in this range.</p>
          ) : (
            <ScrollRegion label="Conversion by campaign">
              <table class="cpl-campaigns">
                <caption>Visitor → lead conversion by campaign (the visitor's utm_campaign)</caption>
                <thead>
                  <tr>
                    <th scope="col">Campaign</th>
                    <th scope="col">Channel</th>
                    <th scope="col" class="num">
                      Form impressions
                    </th>
                    <th scope="col" class="num">
                      Leads
                    </th>
                    <th scope="col" class="num">
                      Visitor → lead
                    </th>
                    <th scope="col" class="num">
                      Lead → SQL
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {campaignRows.map((c) => (
                    <tr key={`${c.channel}|${c.campaign}`}>
                      <th scope="row">{c.campaign}</th>
                      <td>{humanize(c.channel)}</td>
                      <td class="num">{formatNumber(c.impressions ?? 0)}</td>
                      <td class="num">{formatNumber(c.leads)}</td>
                      <td class="num">{formatRate(c.leads, c.impressions ?? 0)}</td>
                      <td class="num">{formatRate(c.accepted, c.leads)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          )}
        </section>

        <section class="card" aria-labelledby="c-temp">
          <h2 id="c-temp">Temperature</h2>
          <Chart
            title="Leads by temperature"
            summary={TEMPERATURES.map((t) => `${t}: ${m.byTemperature[t] ?? 0}`).join(", ")}
            table={{
              head: ["Temperature", "Leads"],
              rows: TEMPERATURES.map((t) => [t, m.byTemperature[t] ?? 0]),
            }}
          >
            <Stacked
              parts={TEMPERATURES.map((t) => ({
                key: t,
                label: humanize(t),
                value: m.byTemperature[t] ?? 0,
                tone: `tone-${t}`,
              }))}
            />
          </Chart>
        </section>

        <section class="card" aria-labelledby="c-stage">
          <h2 id="c-stage">Stages</h2>
          <Chart
            title="Leads by stage"
            summary={STAGES.map((s) => `${s}: ${m.byStage[s] ?? 0}`).join(", ")}
            table={{ head: ["Stage", "Leads"], rows: STAGES.map((s) => [s, m.byStage[s] ?? 0]) }}
          >
            <Bars
              rows={STAGES.map((s) => ({
                key: s,
                label: s === "customer" ? "Customer" : s,
                value: m.byStage[s] ?? 0,
                text: formatNumber(m.byStage[s] ?? 0),
                tone: `tone-stage`,
              }))}
            />
          </Chart>
        </section>

        <section class="card" aria-labelledby="c-spam">
          <h2 id="c-spam">Spam caught</h2>
          <Chart
            title="Submissions refused as spam, by reason"
            summary={`${m.spam.total} spam submissions${spam.length ? `: ${spam.map(([r, n]) => `${r} ${n}`).join(", ")}` : ""}.`}
            table={{ head: ["Reason", "Submissions"], rows: spam }}
          >
            <Bars
              rows={spam.map(([reason, n]) => ({
                key: reason,
                label: reason,
                value: n,
                text: formatNumber(n),
                tone: "tone-spam",
              }))}
            />
          </Chart>
        </section>
      </div>
    </>
  );
}

/**
 * Cost per lead: the saved spend in the range (each month counted for its share of days in the range)
 * over the range's leads by first-touch channel; by campaign when the metrics answer has campaigns.
 */
function CostPerLead({ m, from, to }: { m: SiteMetrics; from: string; to: string }) {
  useEffect(() => {
    void ensureConfig();
  }, []);
  const s = saved.value;
  if (s.state !== "ready") return null;
  const spend = (s.answer.config.spend ?? []) as SpendRow[];
  const currency = s.answer.config.currency ?? "USD";
  const money = new Intl.NumberFormat("en", { style: "currency", currency, maximumFractionDigits: 2 });
  const rows = costPerLead(
    spendByChannel(spend, from, to),
    m.byChannel.map((c) => ({ key: c.channel, leads: c.leads })),
  );
  // An older edge answers without campaigns: by channel only.
  const campaigns = campaignCosts(spend, from, to, m.byCampaign ?? []);
  const total = rows.reduce((sum, r) => sum + r.spend, 0);
  const totalLeads = rows.reduce((sum, r) => sum + r.leads, 0);
  return (
    <section class="card" aria-labelledby="c-cpl">
      <h2 id="c-cpl">Cost per lead</h2>
      {rows.length === 0 ? (
        <p class="muted">
          No spend in this range. Enter spend per month and channel on the <a href="#/channels">Channels</a>{" "}
          screen.
        </p>
      ) : (
        <Chart
          title={`Spend in the range ÷ leads by first-touch channel (${currency})`}
          summary={rows
            .map(
              (r) =>
                `${humanize(r.key)}: ${r.costPerLead === null ? "no leads" : money.format(r.costPerLead)}`,
            )
            .join("; ")}
          table={{
            head: ["Channel", "Spend", "Leads", "Cost per lead"],
            rows: rows.map((r) => [
              humanize(r.key),
              money.format(r.spend),
              r.leads,
              r.costPerLead === null ? "—" : money.format(r.costPerLead),
            ]),
          }}
        >
          <Bars
            rows={rows.map((r) => ({
              key: r.key,
              label: humanize(r.key),
              value: r.costPerLead ?? 0,
              text:
                r.costPerLead === null
                  ? `${money.format(r.spend)} · no leads`
                  : `${money.format(r.costPerLead)} · ${formatNumber(r.leads)} ${r.leads === 1 ? "lead" : "leads"}`,
            }))}
          />
        </Chart>
      )}
      {rows.length > 0 && (
        <p class="muted small cpl-total">
          Overall: {money.format(total)} for {formatNumber(totalLeads)} {totalLeads === 1 ? "lead" : "leads"}
          {totalLeads ? ` = ${money.format(total / totalLeads)} per lead` : ""}.
          {dirty.value && " Unsaved spend changes are not counted yet."}
        </p>
      )}
      {campaigns.length > 0 && (
        <ScrollRegion label="Cost per lead by campaign">
          <table class="cpl-campaigns">
            <caption>By campaign (first-touch utm_campaign)</caption>
            <thead>
              <tr>
                <th scope="col">Campaign</th>
                <th scope="col" class="num">
                  Spend
                </th>
                <th scope="col" class="num">
                  Leads
                </th>
                <th scope="col" class="num">
                  Cost per lead
                </th>
              </tr>
            </thead>
            <tbody>
              {campaigns.map((r) => (
                <tr key={r.key}>
                  <th scope="row">
                    {r.campaign}
                    {r.channels.length > 0 && (
                      <span class="muted small"> · {r.channels.map(humanize).join(", ")}</span>
                    )}
                  </th>
                  <td class="num">{money.format(r.spend)}</td>
                  <td class="num">{formatNumber(r.leads)}</td>
                  <td class="num">{r.costPerLead === null ? "—" : money.format(r.costPerLead)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
