/**
 * The LeadStore's dashboard metrics, against every adapter: D1 counts by scanning its tables, Upstash
 * keeps per-day counters on every write; both must give the same numbers after creates, merges,
 * updates, erasures, spam and widget events.
 */
import { describe, expect, it } from "vitest";
import { type Adapter, command, d1, unique, upstash, upstashSdk } from "./adapters.ts";

describe.each<Adapter>([d1, upstash, upstashSdk])("metrics: $name", (adapter) => {
  it("counts the leads created in [from, to) as they are now, with widget events and spam", async () => {
    const store = adapter.store();
    const site = unique("site_");
    const day = (d: number, h = 10) => `2026-06-0${d}T${String(h).padStart(2, "0")}:00:00.000Z`;
    const l1 = command({ site, dedupeKey: unique("dk_"), now: day(1), score: 80 });
    const l2 = command({
      site,
      dedupeKey: unique("dk_"),
      now: day(1, 11),
      score: 30,
      channel: "paid_search",
      campaign: "spring",
      form: "demo",
    });
    const l3 = command({ site, dedupeKey: unique("dk_"), now: day(2), score: 50 });
    const l4 = command({ site, dedupeKey: unique("dk_"), now: day(3), score: 50 });
    for (const c of [l1, l2, l3, l4]) await store.ingest(c);
    // A warmer repeat of l2 makes it warm; sales accept l3; l1 is erased.
    await store.ingest(command({ site, dedupeKey: l2.dedupeKey, now: day(2, 12), score: 50, form: "demo" }));
    const read = (await store.getLeadForUpdate(l3.lead.id))!;
    await store.updateLead({
      lead: { ...read.lead, stage: "SQL", temperature: "hot", score: 75, updatedAt: day(2, 13) },
      rev: read.rev,
      stageChange: { from: "IQL", to: "SQL", cause: "sales", at: day(2, 13) },
    });
    await store.erasePerson(site, l1.dedupeKey, { id: unique("erasure_"), at: day(2, 14) });
    await store.recordSpam({
      site,
      form: "contact",
      submissionId: unique("s_"),
      reason: "honeypot:website",
      now: day(1),
    });
    await store.recordSpam({
      site,
      form: "contact",
      submissionId: unique("s_"),
      reason: "timetrap",
      now: day(2),
    });
    await store.recordSpam({
      site,
      form: "contact",
      submissionId: unique("s_"),
      reason: "timetrap",
      now: day(5),
    });
    await store.countEvents(site, [
      // Visitors from the email campaign, one from paid search, and an older widget without touches.
      {
        form: "contact",
        day: "2026-06-01",
        type: "impression",
        count: 6,
        channel: "email",
        campaign: "launch",
      },
      {
        form: "contact",
        day: "2026-06-01",
        type: "impression",
        count: 3,
        channel: "paid_search",
        campaign: "",
      },
      { form: "contact", day: "2026-06-01", type: "impression", count: 1 },
      { form: "contact", day: "2026-06-01", type: "submit", count: 2 },
      {
        form: "demo",
        day: "2026-06-02",
        type: "impression",
        count: 5,
        channel: "paid_search",
        campaign: "autumn",
      },
      { form: "demo", day: "2026-06-03", type: "impression", count: 7 },
    ]);

    const m = await store.metrics(site, "2026-06-01", "2026-06-03");
    expect({
      ...m,
      byChannel: [...m.byChannel].sort((a, b) => a.channel.localeCompare(b.channel)),
      byForm: [...m.byForm].sort((a, b) => a.form.localeCompare(b.form)),
    }).toEqual({
      from: "2026-06-01",
      to: "2026-06-03",
      leads: 2,
      leadsByDay: [
        { day: "2026-06-01", leads: 1 },
        { day: "2026-06-02", leads: 1 },
      ],
      byTemperature: { warm: 1, hot: 1 },
      byStage: { IQL: 1, SQL: 1 },
      byChannel: [
        { channel: "email", leads: 1, accepted: 1, impressions: 6 },
        { channel: "paid_search", leads: 1, accepted: 0, impressions: 8 },
      ],
      // First-touch campaigns: l3's (accepted by sales), l2's; and one seen but with no lead yet.
      byCampaign: [
        { channel: "email", campaign: "launch", leads: 1, accepted: 1, impressions: 6 },
        { channel: "paid_search", campaign: "spring", leads: 1, accepted: 0, impressions: 0 },
        { channel: "paid_search", campaign: "autumn", leads: 0, accepted: 0, impressions: 5 },
      ],
      byForm: [
        { form: "contact", impressions: 10, submits: 2, leads: 1 },
        { form: "demo", impressions: 5, submits: 0, leads: 1 },
      ],
      spam: { total: 2, byReason: { honeypot: 1, timetrap: 1 } },
    });
    expect((await store.metrics(site, "2026-07-01", "2026-07-31")).leads).toBe(0);
  });
});
