/**
 * The LeadStore contract: one behaviour suite, run against every adapter (D1 and Upstash) inside
 * workerd. Anything a route can observe through the port must be the same whichever store answers.
 */
import { describe, expect, it } from "vitest";
import { InvalidCursorError, RateLimitedError } from "../../edge/src/stores/errors.ts";
import type { IngestCommand } from "../../edge/src/stores/ports/ingest.ts";
import type { RateWindow } from "../../edge/src/stores/ports/ratelimit.ts";
import type { Lead } from "../../shared/lead.ts";
import { type Adapter, bridge, command, d1, unique, upstash, upstashSdk } from "./adapters.ts";

const at = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const DAY = 86_400_000;

describe.each<Adapter>([d1, upstash, upstashSdk])("LeadStore contract: $name", (adapter) => {
  const newSite = () => unique("site_");

  describe("ingest", () => {
    it("stores a new lead with its outbox rows and answers 'created'", async () => {
      const store = adapter.store();
      const c = command({ site: newSite(), dedupeKey: unique("dk_"), destinations: ["hook", "slack"] });
      const { attempts, ...result } = await store.ingest(c);
      expect(result).toEqual({
        answer: { leadId: c.lead.id, duplicate: false, score: 50, temperature: "warm", stage: "IQL" },
        fresh: true,
        deliveryIds: c.deliveries.map((d) => d.id),
      });
      // Rows handed back for the first attempt (D1) are the rows written (tests/contract/delivery.test.ts).
      if (attempts) expect(attempts.map((a) => a.row.id)).toEqual(result.deliveryIds);
      expect(await store.getLead(c.lead.id)).toEqual(c.lead);
      expect(await store.listSubmissions(c.lead.id)).toEqual([c.record]);
      const rows = await adapter.outbox(c.lead.id);
      expect(rows.map((r) => [r.id, r.destination, r.eventType, r.status]).sort()).toEqual(
        c.deliveries.map((d) => [d.id, d.destination, "lead.created", "pending"]).sort(),
      );
      for (const row of rows)
        expect(row.payload).toEqual({ type: "lead.created", timestamp: c.now, data: c.lead });
    });

    it("writes a row routed to one event only when the submission is that event", async () => {
      const store = adapter.store();
      const site = newSite();
      const dedupeKey = unique("dk_");
      const withWhen = (c: IngestCommand): IngestCommand => ({
        ...c,
        deliveries: [
          { id: unique("msg_"), destination: "crm" },
          { id: unique("msg_"), destination: "welcome", when: "lead.created" },
          { id: unique("msg_"), destination: "repeat-alert", when: "lead.merged" },
        ],
      });
      const first = withWhen(command({ site, dedupeKey }));
      const created = await store.ingest(first);
      expect(created.deliveryIds).toEqual([first.deliveries[0]!.id, first.deliveries[1]!.id]);
      if (created.attempts) expect(created.attempts.map((a) => a.row.id)).toEqual(created.deliveryIds);
      const rows = (await adapter.outbox(first.lead.id)).map((r) => [r.destination, r.eventType]).sort();
      expect(rows).toEqual([
        ["crm", "lead.created"],
        ["welcome", "lead.created"],
      ]);
      const again = withWhen(command({ site, dedupeKey }));
      const merged = await store.ingest(again);
      expect(merged.answer.duplicate).toBe(true);
      expect(merged.deliveryIds).toEqual([again.deliveries[0]!.id, again.deliveries[2]!.id]);
      if (merged.attempts) expect(merged.attempts.map((a) => a.row.id)).toEqual(merged.deliveryIds);
      const after = (await adapter.outbox(first.lead.id)).map((r) => [r.destination, r.eventType]).sort();
      expect(after).toEqual([
        ["crm", "lead.created"],
        ["crm", "lead.merged"],
        ["repeat-alert", "lead.merged"],
        ["welcome", "lead.created"],
      ]);
    });

    it("merges a repeat into the lead (RFC 7396), keeping the first touch and what was not re-sent", async () => {
      const store = adapter.store();
      const site = newSite();
      const dedupeKey = unique("dk_");
      const t0 = "2026-11-20T10:00:00.000Z";
      const first = command({
        site,
        dedupeKey,
        now: t0,
        fields: { email: "a@x.example", name: "Ada", company: "AE", phone: "1" },
      });
      await store.ingest(first);
      const second = command({
        site,
        dedupeKey,
        now: at(t0, 3_600_000),
        campaign: "retarget",
        fields: { email: "a@x.example", name: "Ada L.", company: "", role: "CTO" },
      });
      const result = await store.ingest(second);
      expect(result.fresh).toBe(true);
      expect(result.answer).toEqual({
        leadId: first.lead.id,
        duplicate: true,
        score: 50,
        temperature: "warm",
        stage: "IQL",
      });
      const lead = (await store.getLead(first.lead.id))!;
      expect(lead.id).toBe(first.lead.id);
      expect(lead.fields).toEqual({
        email: "a@x.example",
        name: "Ada L.",
        company: "AE",
        phone: "1",
        role: "CTO",
      });
      expect(lead.firstTouch).toEqual(first.lead.firstTouch);
      expect(lead.lastTouch).toEqual(second.lead.lastTouch);
      expect(lead.createdAt).toBe(t0);
      expect(lead.updatedAt).toBe(second.now);
      expect(lead.submissionCount).toBe(2);
      expect(lead.components).toEqual(first.lead.components);
      expect(await store.getLead(second.lead.id)).toBeNull();
      expect(await store.listSubmissions(first.lead.id)).toEqual([first.record, second.record]);
      const merged = (await adapter.outbox(first.lead.id)).filter((r) => r.eventType === "lead.merged");
      expect(merged).toHaveLength(1);
      expect(merged[0]!.payload).toEqual({ type: "lead.merged", timestamp: second.now, data: lead });
    });

    it("keeps the higher-scored result whole: score, temperature, stage and reasons", async () => {
      const store = adapter.store();
      const site = newSite();
      const dedupeKey = unique("dk_");
      const low = command({ site, dedupeKey, score: 30 });
      await store.ingest(low);
      const high = command({ site, dedupeKey, score: 80 });
      expect((await store.ingest(high)).answer).toMatchObject({
        score: 80,
        temperature: "hot",
        stage: "MQL",
      });
      let lead = (await store.getLead(low.lead.id))!;
      expect(lead).toMatchObject({
        score: 80,
        temperature: "hot",
        stage: "MQL",
        reasons: high.lead.reasons,
        components: high.lead.components,
      });
      const lower = command({ site, dedupeKey, score: 10 });
      expect((await store.ingest(lower)).answer).toMatchObject({
        duplicate: true,
        score: 80,
        temperature: "hot",
        stage: "MQL",
      });
      lead = (await store.getLead(low.lead.id))!;
      expect(lead).toMatchObject({ score: 80, reasons: high.lead.reasons, submissionCount: 3 });
    });

    it("counts a repeat after the dedupe window as a new conversion, one inside it as the same", async () => {
      const store = adapter.store();
      const site = newSite();
      const dedupeKey = unique("dk_");
      const t0 = "2026-01-01T00:00:00.000Z";
      const first = command({ site, dedupeKey, now: t0, dedupeWindowDays: 30 });
      await store.ingest(first);
      await store.ingest(command({ site, dedupeKey, now: at(t0, 29 * DAY), dedupeWindowDays: 30 }));
      expect(await store.getLead(first.lead.id)).toMatchObject({
        conversions: 1,
        lastConversionAt: t0,
        submissionCount: 2,
      });
      const later = at(t0, 31 * DAY);
      await store.ingest(command({ site, dedupeKey, now: later, dedupeWindowDays: 30 }));
      expect(await store.getLead(first.lead.id)).toMatchObject({
        conversions: 2,
        lastConversionAt: later,
        submissionCount: 3,
      });
    });

    it("answers a retried submission id with the first answer and writes nothing", async () => {
      const store = adapter.store();
      const site = newSite();
      const c = command({ site, dedupeKey: unique("dk_") });
      const first = await store.ingest(c);
      const again = await adapter
        .store()
        .ingest({ ...c, deliveries: [{ id: unique("msg_"), destination: "hook" }] });
      expect(again).toEqual({ answer: first.answer, fresh: false, deliveryIds: [] });
      expect((await store.getLead(c.lead.id))!.submissionCount).toBe(1);
      expect(await adapter.outbox(c.lead.id)).toHaveLength(1);
      expect(await store.listSubmissions(c.lead.id)).toHaveLength(1);
    });

    it("takes concurrent copies of one submission id exactly once", async () => {
      const c = command({ site: newSite(), dedupeKey: unique("dk_") });
      const results = await Promise.all(Array.from({ length: 20 }, () => adapter.store().ingest(c)));
      expect(results.filter((r) => r.fresh)).toHaveLength(1);
      expect(new Set(results.map((r) => JSON.stringify(r.answer))).size).toBe(1);
      expect((await adapter.store().getLead(c.lead.id))!.submissionCount).toBe(1);
      expect(await adapter.outbox(c.lead.id)).toHaveLength(1);
    });

    it("stores 1,000 concurrent submissions of one email as exactly one lead", async () => {
      const site = newSite();
      const dedupeKey = unique("dk_");
      const commands = Array.from({ length: 1000 }, () => command({ site, dedupeKey }));
      const results = await Promise.all(commands.map((c) => adapter.store().ingest(c)));
      const created = results.filter((r) => !r.answer.duplicate);
      expect(created).toHaveLength(1);
      const leadId = created[0]!.answer.leadId;
      expect(new Set(results.map((r) => r.answer.leadId))).toEqual(new Set([leadId]));
      const store = adapter.store();
      expect((await store.getLead(leadId))!.submissionCount).toBe(1000);
      expect(await store.listSubmissions(leadId)).toHaveLength(1000);
      expect(await adapter.outbox(leadId)).toHaveLength(1000);
      expect((await store.listLeads(site, { limit: 10 })).leads).toHaveLength(1);
    }, 60_000);
  });

  describe("rate limit", () => {
    /** The current day as a fixed window: the adapters agree on it whatever clock they keep. */
    const live = (limit: number): RateWindow => {
      const day = 86_400;
      const start = Math.floor(Date.now() / 1000 / day) * day;
      return {
        key: unique("client_"),
        windowStart: start,
        previousWindowStart: start - day,
        previousWeight: 0,
        limit,
        windowSeconds: day,
        algorithm: "fixed",
      };
    };

    it("refuses the submission that would pass the limit and writes nothing for it", async () => {
      const store = adapter.store();
      const site = newSite();
      const rate = live(2);
      for (let i = 0; i < 2; i++)
        await store.ingest(command({ site, dedupeKey: unique("dk_"), rateWindow: rate }));
      const refused = command({ site, dedupeKey: unique("dk_"), rateWindow: rate });
      const refusal = store.ingest(refused);
      await expect(refusal).rejects.toBeInstanceOf(RateLimitedError);
      // Every adapter says when to come back (the route's Retry-After).
      await expect(refusal).rejects.toSatisfy((e: RateLimitedError) => (e.retryAfter ?? 0) >= 1);
      expect(await store.getLead(refused.lead.id)).toBeNull();
      expect((await store.listLeads(site, { limit: 10 })).leads).toHaveLength(2);
      // Another client of the same site has its own budget.
      const other = await store.ingest(command({ site, dedupeKey: unique("dk_"), rateWindow: live(2) }));
      expect(other.fresh).toBe(true);
    });

    it("never counts a replayed submission id, and answers it even when the client is at its limit", async () => {
      const store = adapter.store();
      const site = newSite();
      const rate = live(2);
      const c = command({ site, dedupeKey: unique("dk_"), rateWindow: rate });
      const first = await store.ingest(c);
      for (let i = 0; i < 3; i++) {
        const again = await store.ingest(c);
        expect(again).toEqual({ answer: first.answer, fresh: false, deliveryIds: [] });
      }
      // The replays took nothing: one more new submission fits, the next does not.
      expect((await store.ingest(command({ site, dedupeKey: unique("dk_"), rateWindow: rate }))).fresh).toBe(
        true,
      );
      await expect(
        store.ingest(command({ site, dedupeKey: unique("dk_"), rateWindow: rate })),
      ).rejects.toBeInstanceOf(RateLimitedError);
      // At the limit, the first submission retried still gets its answer, not a refusal.
      expect((await store.ingest(c)).answer).toEqual(first.answer);
    });

    it("keeps the current window's count when the cron prunes the windows before it", async () => {
      const store = adapter.store();
      const site = newSite();
      const rate = live(2);
      for (let i = 0; i < 2; i++)
        await store.ingest(command({ site, dedupeKey: unique("dk_"), rateWindow: rate }));
      await store.pruneRateWindows(rate.windowStart);
      await expect(
        store.ingest(command({ site, dedupeKey: unique("dk_"), rateWindow: rate })),
      ).rejects.toBeInstanceOf(RateLimitedError);
    });
  });

  describe("updates, events, stages, outcomes", () => {
    it("lists a site's leads with outcomes, with their events, page by page, and forgets erased ones", async () => {
      const store = adapter.store();
      const site = newSite();
      const leads: Lead[] = [];
      const keys: string[] = [];
      for (let i = 0; i < 5; i++) {
        const c = command({ site, dedupeKey: unique("dk_") });
        await store.ingest(c);
        leads.push(c.lead);
        keys.push(c.dedupeKey);
      }
      // Outcomes for four of them (one without: not listed), events for one.
      for (const [i, lead] of leads.slice(0, 4).entries()) {
        const read = (await store.getLeadForUpdate(lead.id))!;
        const ok = await store.updateLead({
          lead: read.lead,
          rev: read.rev,
          events: i === 0 ? [{ type: "webinar.attended", at: at(lead.createdAt, 1000) }] : [],
          outcome: { leadId: lead.id, outcome: i % 2 ? "lost" : "converted", at: at(lead.createdAt, DAY) },
          deliveries: [],
        });
        expect(ok).toBe(true);
      }
      const first = await store.listOutcomes(site, 3);
      const rest = await store.listOutcomes(site, 3, first.at(-1)!.lead.id);
      const all = [...first, ...rest];
      expect(first).toHaveLength(3);
      const expected = leads
        .slice(0, 4)
        .map((lead, i) => ({
          lead,
          outcome: i % 2 ? "lost" : "converted",
          at: at(lead.createdAt, DAY),
          events: i === 0 ? [{ type: "webinar.attended", at: at(lead.createdAt, 1000) }] : [],
        }))
        .sort((a, b) => (a.lead.id < b.lead.id ? -1 : 1));
      expect(all).toEqual(expected);
      expect(await store.listOutcomes(newSite(), 10)).toEqual([]);
      expect(await store.getOutcome(leads[1]!.id)).toEqual({
        leadId: leads[1]!.id,
        outcome: "lost",
        at: at(leads[1]!.createdAt, DAY),
      });
      expect(await store.getOutcome(leads[4]!.id)).toBeNull();
      await store.erasePerson(site, keys[0]!, { id: unique("erasure_"), at: at(leads[0]!.createdAt, DAY) });
      const after = await store.listOutcomes(site, 10);
      expect(after.map((r) => r.lead.id).sort()).toEqual(
        leads
          .slice(1, 4)
          .map((l) => l.id)
          .sort(),
      );
    });

    it("applies an update only at the revision read, with its events, stage change, outcome and outbox rows", async () => {
      const store = adapter.store();
      const c = command({ site: newSite(), dedupeKey: unique("dk_") });
      await store.ingest(c);
      const read = (await store.getLeadForUpdate(c.lead.id))!;
      expect(read.lead).toEqual(c.lead);
      const updatedAt = at(c.now, 60_000);
      const lead: Lead = { ...read.lead, stage: "SQL", score: 90, temperature: "hot", updatedAt };
      const deliveryId = unique("msg_");
      const ok = await store.updateLead({
        lead,
        rev: read.rev,
        events: [
          {
            type: "trial.active",
            at: at(c.now, 2000),
            props: { seats: 3, tags: [], ratio: 0.1234567890123456 },
          },
          { type: "email.open", at: at(c.now, 1000) },
        ],
        stageChange: { from: "IQL", to: "SQL", cause: "accepted by Grace", at: updatedAt },
        outcome: { leadId: c.lead.id, outcome: "converted", at: updatedAt, value: 1200 },
        deliveries: [{ id: deliveryId, destination: "hook", eventType: "lead.stage_changed" }],
      });
      expect(ok).toBe(true);
      expect(await store.getLead(c.lead.id)).toEqual(lead);
      expect(await store.listLeadEvents(c.lead.id)).toEqual([
        { type: "email.open", at: at(c.now, 1000) },
        {
          type: "trial.active",
          at: at(c.now, 2000),
          props: { seats: 3, tags: [], ratio: 0.1234567890123456 },
        },
      ]);
      expect(await store.listStageHistory(c.lead.id)).toEqual([
        { from: "IQL", to: "SQL", cause: "accepted by Grace", at: updatedAt },
      ]);
      const row = (await adapter.outbox(c.lead.id)).find((r) => r.id === deliveryId)!;
      expect(row).toMatchObject({ eventType: "lead.stage_changed", status: "pending" });
      expect(row.payload).toEqual({ type: "lead.stage_changed", timestamp: updatedAt, data: lead });

      // The same revision again: someone else wrote first; nothing of this update is written.
      const stale = await store.updateLead({
        lead: { ...lead, stage: "customer" },
        rev: read.rev,
        events: [{ type: "late", at: updatedAt }],
        stageChange: { from: "SQL", to: "customer", cause: "late", at: updatedAt },
        deliveries: [{ id: unique("msg_"), destination: "hook", eventType: "lead.updated" }],
      });
      expect(stale).toBe(false);
      expect((await store.getLead(c.lead.id))!.stage).toBe("SQL");
      expect(await store.listLeadEvents(c.lead.id)).toHaveLength(2);
      expect(await store.listStageHistory(c.lead.id)).toHaveLength(1);
      expect((await store.getLeadForUpdate(c.lead.id))!.rev).toBe(read.rev + 1);
    });

    it("writes no outbox rows for an update that lost the race", async () => {
      const store = adapter.store();
      const c = command({ site: newSite(), dedupeKey: unique("dk_") });
      await store.ingest(c);
      const read = (await store.getLeadForUpdate(c.lead.id))!;
      expect(await store.updateLead({ lead: { ...read.lead, stage: "SQL" }, rev: read.rev })).toBe(true);
      const lost = await store.updateLead({
        lead: { ...read.lead, stage: "customer" },
        rev: read.rev,
        deliveries: [{ id: unique("msg_"), destination: "hook", eventType: "lead.stage_changed" }],
      });
      expect(lost).toBe(false);
      expect(await adapter.outbox(c.lead.id)).toHaveLength(1);
    });

    it("bumps the revision on a merge, so an update read before it loses", async () => {
      const store = adapter.store();
      const site = newSite();
      const dedupeKey = unique("dk_");
      const c = command({ site, dedupeKey });
      await store.ingest(c);
      const read = (await store.getLeadForUpdate(c.lead.id))!;
      await store.ingest(command({ site, dedupeKey }));
      expect(await store.updateLead({ lead: read.lead, rev: read.rev })).toBe(false);
      expect((await store.getLead(c.lead.id))!.submissionCount).toBe(2);
    });

    it("lists leads to re-score: another config, or merged since scored", async () => {
      const store = adapter.store();
      const site = newSite();
      const dedupeKey = unique("dk_");
      const a = command({ site, dedupeKey, scoringVersion: "v1" });
      const b = command({ site, dedupeKey: unique("dk_"), scoringVersion: "v1" });
      await store.ingest(a);
      await store.ingest(b);
      expect(await store.leadsToRescore(site, "v1", 10)).toEqual([]);
      expect((await store.leadsToRescore(site, "v2", 10)).sort()).toEqual([a.lead.id, b.lead.id].sort());
      expect(await store.leadsToRescore(site, "v2", 1)).toHaveLength(1);
      await store.ingest(command({ site, dedupeKey, scoringVersion: "v1" }));
      expect(await store.leadsToRescore(site, "v1", 10)).toEqual([a.lead.id]);
      const read = (await store.getLeadForUpdate(a.lead.id))!;
      expect(await store.updateLead({ lead: read.lead, rev: read.rev, scoringVersion: "v1" })).toBe(true);
      expect(await store.leadsToRescore(site, "v1", 10)).toEqual([]);
      expect(await store.leadsToRescore(site, "v2", 10)).toHaveLength(2);
    });

    it("answers null and empty lists for an unknown lead", async () => {
      const store = adapter.store();
      expect(await store.getLead("lead_missing")).toBeNull();
      expect(await store.getLeadForUpdate("lead_missing")).toBeNull();
      expect(await store.listLeadEvents("lead_missing")).toEqual([]);
      expect(await store.listStageHistory("lead_missing")).toEqual([]);
      expect(await store.listSubmissions("lead_missing")).toEqual([]);
      expect(await store.updateLead({ lead: command({ site: "x", dedupeKey: "y" }).lead, rev: 0 })).toBe(
        false,
      );
    });
  });

  describe("listLeads", () => {
    it("pages newest first with an opaque cursor, ties broken by id", async () => {
      const store = adapter.store();
      const site = newSite();
      const t0 = "2026-05-01T00:00:00.000Z";
      const made: Lead[] = [];
      for (const offset of [0, 1000, 1000, 2000, 3000]) {
        const c = command({ site, dedupeKey: unique("dk_"), now: at(t0, offset) });
        await store.ingest(c);
        made.push(c.lead);
      }
      const expected = [...made]
        .sort((a, b) =>
          a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
        )
        .map((l) => l.id);
      const seen: string[] = [];
      let cursor: string | undefined;
      const sizes: number[] = [];
      do {
        const page = await store.listLeads(site, { limit: 2, cursor });
        sizes.push(page.leads.length);
        seen.push(...page.leads.map((l) => l.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(sizes).toEqual([2, 2, 1]);
      expect(seen).toEqual(expected);
      expect(await store.listLeads(newSite(), { limit: 5 })).toEqual({ leads: [], nextCursor: null });
      const refused = store.listLeads(site, { limit: 2, cursor: "not-a-cursor" });
      await expect(refused).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(refused).rejects.toHaveProperty("why", "unreadable");
    });
  });

  describe("counters and spam", () => {
    it("adds widget events to daily counters per form and type", async () => {
      const store = adapter.store();
      const site = newSite();
      await store.countEvents(site, [
        { form: "contact", day: "2026-11-20", type: "impression", count: 3 },
        { form: "contact", day: "2026-11-20", type: "open", count: 1 },
      ]);
      await store.countEvents(site, [{ form: "contact", day: "2026-11-20", type: "impression", count: 2 }]);
      expect(await adapter.eventCount(site, "contact", "2026-11-20", "impression")).toBe(5);
      expect(await adapter.eventCount(site, "contact", "2026-11-20", "open")).toBe(1);
      expect(await adapter.eventCount(site, "contact", "2026-11-21", "open")).toBe(0);
    });

    it("records spam without a lead", async () => {
      const store = adapter.store();
      const site = newSite();
      await store.recordSpam({
        site,
        form: "contact",
        submissionId: unique("sub_"),
        reason: "honeypot:website",
        now: new Date().toISOString(),
      });
      expect(await adapter.spamCount(site)).toBe(1);
      expect((await store.listLeads(site, { limit: 5 })).leads).toEqual([]);
      await store.pruneRateWindows(Math.floor(Date.now() / 1000));
    });
  });

  describe("privacy: export and erasure", () => {
    it("exports everything about a person, then erases it in one step and forgets the submission ids", async () => {
      const store = adapter.store();
      const site = newSite();
      const dedupeKey = unique("dk_");
      const first = command({ site, dedupeKey, now: "2026-03-01T00:00:00.000Z" });
      const second = command({ site, dedupeKey, now: "2026-03-02T00:00:00.000Z" });
      await store.ingest(first);
      await store.ingest(second);
      const read = (await store.getLeadForUpdate(first.lead.id))!;
      await store.updateLead({
        lead: read.lead,
        rev: read.rev,
        events: [{ type: "email.open", at: "2026-03-03T00:00:00.000Z" }],
        stageChange: { from: "IQL", to: "SQL", cause: "sales", at: "2026-03-03T00:00:00.000Z" },
        outcome: { leadId: first.lead.id, outcome: "lost", at: "2026-03-04T00:00:00.000Z" },
      });
      const other = command({ site, dedupeKey: unique("dk_") });
      await store.ingest(other);

      const exported = (await store.exportPerson(site, dedupeKey))!;
      expect(exported.lead).toEqual(await store.getLead(first.lead.id));
      expect(exported.submissions).toEqual([first.record, second.record]);
      expect(exported.events).toEqual([{ type: "email.open", at: "2026-03-03T00:00:00.000Z" }]);
      expect(exported.stages).toHaveLength(1);
      expect(exported.outcome).toEqual({
        leadId: first.lead.id,
        outcome: "lost",
        at: "2026-03-04T00:00:00.000Z",
      });
      expect(exported.deliveries.map((d) => [d.eventType, d.status, typeof d.payload])).toEqual([
        ["lead.created", "pending", "object"],
        ["lead.merged", "pending", "object"],
      ]);
      expect(await store.exportPerson(site, unique("dk_"))).toBeNull();

      const receipt = await store.erasePerson(site, dedupeKey, {
        id: unique("erasure_"),
        at: "2026-03-05T00:00:00.000Z",
      });
      expect(receipt?.removed).toEqual({
        leads: 1,
        submissions: 2,
        events: 1,
        stages: 1,
        outcomes: 1,
        deliveries: 2,
      });
      expect(await store.getLead(first.lead.id)).toBeNull();
      expect(await store.listSubmissions(first.lead.id)).toEqual([]);
      expect(await adapter.outbox(first.lead.id)).toEqual([]);
      expect(await store.exportPerson(site, dedupeKey)).toBeNull();
      expect(
        await store.erasePerson(site, dedupeKey, { id: unique("erasure_"), at: "2026-03-06T00:00:00.000Z" }),
      ).toBeNull();
      expect((await store.listLeads(site, { limit: 5 })).leads.map((l) => l.id)).toEqual([other.lead.id]);
      // The erased submission ids are forgotten: the person submitting again is a new lead.
      const again = await store.ingest({ ...first, lead: { ...first.lead, id: unique("lead_") } });
      expect(again.fresh).toBe(true);
      expect(again.answer.duplicate).toBe(false);
    });
  });
});

// Upstash only: a reply lost after Redis ran the command (the client retries the same request).
describe.each<Adapter>([upstash, upstashSdk])("lost replies: $name", (adapter) => {
  it("stores a new lead exactly once when the reply to its dedupe claim (SET NX, in the ingest script) is lost", async () => {
    const store = adapter.store();
    const c = command({ site: unique("site_"), dedupeKey: unique("dk_") });
    const before = await bridge("stats");
    // The SET NX claim runs inside the ingest script: drop the reply to the EVALSHA carrying it.
    await bridge("drop", { name: "EVALSHA", arg: c.submissionId });
    const result = await store.ingest(c);
    expect((await bridge("stats")).dropped).toBe(before.dropped + 1);
    // Recognised as our own write (same attempt token), not as a replay or a duplicate.
    expect(result).toEqual({
      answer: { leadId: c.lead.id, duplicate: false, score: 50, temperature: "warm", stage: "IQL" },
      fresh: true,
      deliveryIds: c.deliveries.map((d) => d.id),
    });
    expect((await store.getLead(c.lead.id))!.submissionCount).toBe(1);
    expect(await store.listSubmissions(c.lead.id)).toHaveLength(1);
    expect(await adapter.outbox(c.lead.id)).toHaveLength(1);
  });

  it("merges a repeat exactly once when its reply is lost", async () => {
    const store = adapter.store();
    const site = unique("site_");
    const dedupeKey = unique("dk_");
    const first = command({ site, dedupeKey });
    await store.ingest(first);
    const repeat = command({ site, dedupeKey });
    await bridge("drop", { name: "EVALSHA", arg: repeat.submissionId });
    const result = await store.ingest(repeat);
    expect(result.fresh).toBe(true);
    expect(result.answer).toMatchObject({ leadId: first.lead.id, duplicate: true });
    expect(result.deliveryIds).toEqual(repeat.deliveries.map((d) => d.id));
    expect((await store.getLead(first.lead.id))!.submissionCount).toBe(2);
    expect(await adapter.outbox(first.lead.id)).toHaveLength(2);
    // A later, separate retry of the same submission id is a replay: the first answer, nothing sent.
    expect(await adapter.store().ingest(repeat)).toEqual({
      answer: result.answer,
      fresh: false,
      deliveryIds: [],
    });
  });
});

/**
 * D1 counts the window the edge computes (the clock is the request's); these pin its arithmetic.
 * The Upstash adapter's windows are @upstash/ratelimit's own (tests/contract/ratelimit.test.ts).
 */
describe("rate-limit window arithmetic: d1", () => {
  const window = (start: number, limit: number, previousWeight = 0): RateWindow => ({
    key: unique("client_"),
    windowStart: start,
    previousWindowStart: start - 60,
    previousWeight,
    limit,
    windowSeconds: 60,
    algorithm: previousWeight > 0 ? "sliding" : "fixed",
  });

  it("starts the count again in the next window, where a refused submission id goes through", async () => {
    const store = d1.store();
    const site = unique("site_");
    const rate = window(1_800_000_000, 2);
    for (let i = 0; i < 2; i++)
      await store.ingest(command({ site, dedupeKey: unique("dk_"), rateWindow: rate }));
    const refused = command({ site, dedupeKey: unique("dk_"), rateWindow: rate });
    await expect(store.ingest(refused)).rejects.toBeInstanceOf(RateLimitedError);
    const next = await store.ingest({
      ...refused,
      rateWindow: { ...rate, windowStart: rate.windowStart + 60, previousWindowStart: rate.windowStart },
    });
    expect(next.fresh).toBe(true);
    expect(next.answer.duplicate).toBe(false);
  });

  it("weighs the previous window in a sliding window", async () => {
    const store = d1.store();
    const site = unique("site_");
    const previous = window(1_800_001_200, 10);
    for (let i = 0; i < 4; i++)
      await store.ingest(command({ site, dedupeKey: unique("dk_"), rateWindow: previous }));
    // limit 4, less floor(4 × 0.6) = 2 of the previous window: two more now, not three.
    const current = {
      ...previous,
      windowStart: previous.windowStart + 60,
      previousWindowStart: previous.windowStart,
      previousWeight: 0.6,
      limit: 4,
      algorithm: "sliding" as const,
    };
    await store.ingest(command({ site, dedupeKey: unique("dk_"), rateWindow: current }));
    await store.ingest(command({ site, dedupeKey: unique("dk_"), rateWindow: current }));
    await expect(
      store.ingest(command({ site, dedupeKey: unique("dk_"), rateWindow: current })),
    ).rejects.toBeInstanceOf(RateLimitedError);
  });
});
