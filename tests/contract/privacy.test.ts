/**
 * The PrivacyStore contract, against every adapter: everything stored about a person comes out in
 * one export (lead, submissions, events, stages, outcome, outbox rows), and one erasure removes it
 * all and says what it removed.
 */
import { describe, expect, it } from "vitest";
import type { LeadStore } from "../../edge/src/stores/ports/index.ts";
import { type Adapter, command, d1, unique, upstash, upstashSdk } from "./adapters.ts";

const later = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** A person with two submissions, an event, a stage change, an outcome and three outbox rows. */
async function person(store: LeadStore) {
  const site = unique("site_");
  const dedupeKey = unique("dk_");
  const first = command({ site, dedupeKey, destinations: ["hook"] });
  await store.ingest(first);
  const repeat = command({ site, dedupeKey, destinations: ["hook"], now: later(first.now, 1000) });
  await store.ingest(repeat);
  const read = (await store.getLeadForUpdate(first.lead.id))!;
  const at = later(first.now, 2000);
  const lead = { ...read.lead, stage: "SQL" as const, updatedAt: at };
  const event = { type: "webinar.attended", at, props: { webinar: "w1" } };
  const change = { from: read.lead.stage, to: "SQL" as const, cause: "accepted by sales", at };
  const outcome = { leadId: lead.id, outcome: "converted" as const, at, value: 1200 };
  const update = { id: unique("msg_"), destination: "crm", eventType: "lead.updated" as const };
  expect(
    await store.updateLead({
      lead,
      rev: read.rev,
      events: [event],
      stageChange: change,
      outcome,
      deliveries: [update],
    }),
  ).toBe(true);
  return { site, dedupeKey, first, repeat, lead, event, change, outcome, update };
}

describe.each<Adapter>([d1, upstash, upstashSdk])("PrivacyStore contract: $name", (adapter) => {
  it("exports everything stored about a person, and nothing for someone unknown", async () => {
    const store = adapter.store();
    const p = await person(store);
    const exported = await store.exportPerson(p.site, p.dedupeKey);
    expect(exported).not.toBeNull();
    const { deliveries, ...rest } = exported!;
    expect(rest).toEqual({
      lead: await store.getLead(p.lead.id),
      submissions: [p.first.record, p.repeat.record],
      events: [p.event],
      stages: [p.change],
      outcome: p.outcome,
    });
    const ids = [p.first.deliveries[0]!.id, p.repeat.deliveries[0]!.id, p.update.id];
    expect(deliveries.map((d) => d.id).sort()).toEqual([...ids].sort());
    for (const d of deliveries) {
      expect(d.status).toBe("pending");
      // Not yet delivered: the export shows what would be sent.
      expect(d.payload).toMatchObject({ data: { id: p.lead.id } });
    }
    expect(deliveries.find((d) => d.id === p.update.id)).toMatchObject({
      destination: "crm",
      eventType: "lead.updated",
    });
    expect(await store.exportPerson(p.site, unique("dk_"))).toBeNull();
    expect(await store.exportPerson(unique("site_"), p.dedupeKey)).toBeNull();
  });

  it("erases a person in one go, says what it removed, and finds nothing the second time", async () => {
    const store = adapter.store();
    const p = await person(store);
    const erasure = { id: unique("erasure_"), at: later(p.first.now, 3000) };
    expect(await store.erasePerson(p.site, p.dedupeKey, erasure)).toEqual({
      ...erasure,
      site: p.site,
      removed: { leads: 1, submissions: 2, events: 1, stages: 1, outcomes: 1, deliveries: 3 },
    });
    expect(await store.exportPerson(p.site, p.dedupeKey)).toBeNull();
    expect(await store.getLead(p.lead.id)).toBeNull();
    expect(await store.listSubmissions(p.lead.id)).toEqual([]);
    expect(await store.listLeadEvents(p.lead.id)).toEqual([]);
    expect(await store.listStageHistory(p.lead.id)).toEqual([]);
    expect(await store.getOutcome(p.lead.id)).toBeNull();
    expect(await adapter.outbox(p.lead.id)).toEqual([]);
    expect(await store.erasePerson(p.site, p.dedupeKey, { ...erasure, id: unique("erasure_") })).toBeNull();
  });
});
