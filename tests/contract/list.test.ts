/**
 * The leads list against every adapter: filters, sort orders, paging with cursors, totals. The
 * expected pages come from a reference implementation over the stored leads, so each adapter is held
 * to the same answer for every combination.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { InvalidCursorError } from "../../edge/src/stores/errors.ts";
import type { LeadFilter, LeadSort } from "../../edge/src/stores/ports/leads.ts";
import type { Lead } from "../../shared/lead.ts";
import { type Adapter, command, d1, unique, upstash, upstashSdk } from "./adapters.ts";

const specs = [
  {
    score: 80,
    name: "Ada Lovelace",
    company: "Analytical Engines",
    channel: "email",
    form: "contact",
    day: 1,
  },
  { score: 30, name: "Grace Hopper", company: "Navy", channel: "paid_search", form: "demo", day: 1 },
  { score: 55, name: "Alan Turing", company: "Bletchley", channel: "email", form: "contact", day: 2 },
  {
    score: 55,
    name: 'Katherine "Kat" Johnson',
    company: "NASA",
    channel: "organic_search",
    form: "demo",
    day: 2,
  },
  { score: 95, name: "Édith Piaf", company: "Analytical Café", channel: "email", form: "pricing", day: 3 },
  { score: 10, name: "Linus", company: "", channel: "direct", form: "contact", day: 3 },
  { score: 55, name: "Barbara Liskov", company: "MIT", channel: "paid_search", form: "contact", day: 4 },
];

function matches(lead: Lead, f: LeadFilter): boolean {
  const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : "");
  if (f.q) {
    const q = f.q.toLowerCase();
    if (![lead.email, lead.fields.name, lead.fields.company].some((v) => lower(v).includes(q))) return false;
  }
  if (f.temperatures?.length && !f.temperatures.includes(lead.temperature)) return false;
  if (f.stages?.length && !f.stages.includes(lead.stage)) return false;
  if (f.form && lead.form !== f.form) return false;
  if (f.channel && lead.firstTouch.channel !== f.channel) return false;
  if (f.from && lead.createdAt < f.from) return false;
  if (f.to && lead.createdAt >= f.to) return false;
  if (f.minScore !== undefined && lead.score < f.minScore) return false;
  if (f.maxScore !== undefined && lead.score > f.maxScore) return false;
  return true;
}

function expected(leads: Lead[], f: LeadFilter, sort: LeadSort): string[] {
  const key = (l: Lead) => (sort.endsWith("score") ? [l.score, l.createdAt, l.id] : [l.createdAt, l.id]);
  const cmp = (a: Lead, b: Lead) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return 0;
  };
  const sorted = leads.filter((l) => matches(l, f)).sort(cmp);
  return (sort.startsWith("-") ? sorted.reverse() : sorted).map((l) => l.id);
}

const filters: LeadFilter[] = [
  {},
  { q: "analytical" },
  { q: "KAT" },
  { q: "é" },
  { temperatures: ["hot", "warm"] },
  { stages: ["MQL"], form: "contact" },
  { channel: "email" },
  { from: "2026-04-02", to: "2026-04-04" },
  { minScore: 55, maxScore: 80 },
  { q: "a", temperatures: ["warm"], minScore: 50 },
  { form: "nothing-like-it" },
];
const sorts: LeadSort[] = ["-created", "created", "-score", "score"];

describe.each<Adapter>([d1, upstash, upstashSdk])("listLeads: $name", (adapter) => {
  const site = unique("site_");
  let leads: Lead[] = [];

  beforeAll(async () => {
    const store = adapter.store();
    const ids: string[] = [];
    const keys: string[] = [];
    for (const [i, s] of specs.entries()) {
      keys.push(unique("dk_"));
      const c = command({
        site,
        dedupeKey: keys[i]!,
        now: `2026-04-0${s.day}T10:00:0${i}.000Z`,
        score: s.score,
        channel: s.channel,
        form: s.form,
        fields: {
          email: `p${i}@${s.company.toLowerCase().replace(/\W/g, "") || "home"}.example`,
          name: s.name,
          company: s.company,
        },
      });
      // Two leads created in the same millisecond: ties broken by id.
      if (i === 3) c.now = c.lead.createdAt = c.lead.updatedAt = `2026-04-02T10:00:02.000Z`;
      await store.ingest(c);
      ids.push(c.lead.id);
    }
    // A warmer repeat moves Grace up the score order; an update moves Linus.
    await store.ingest(
      command({ site, dedupeKey: keys[1]!, score: 70, form: "demo", now: "2026-04-05T00:00:00.000Z" }),
    );
    const linus = (await store.getLeadForUpdate(ids[5]!))!;
    await store.updateLead({
      lead: { ...linus.lead, score: 62, temperature: "warm", stage: "MQL" },
      rev: linus.rev,
    });
    leads = (await Promise.all(ids.map((id) => store.getLead(id)))) as Lead[];
  });

  for (const sort of sorts) {
    it(`pages every filter, sorted ${sort}, with totals`, async () => {
      const store = adapter.store();
      for (const filter of filters) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let total: number | undefined;
        for (let pages = 0; pages < 10; pages++) {
          const page = await store.listLeads(site, { limit: 3, cursor, filter, sort, withTotal: true });
          total ??= page.total;
          seen.push(...page.leads.map((l) => l.id));
          cursor = page.nextCursor ?? undefined;
          if (!cursor) break;
        }
        const want = expected(leads, filter, sort);
        expect({ filter, seen }).toEqual({ filter, seen: want });
        expect({ filter, total }).toEqual({ filter, total: want.length });
      }
    });
  }

  it("refuses a cursor of another sort order, and leaves total out unless asked", async () => {
    const store = adapter.store();
    const page = await store.listLeads(site, { limit: 2, sort: "-score" });
    expect(page.total).toBeUndefined();
    const refused = store.listLeads(site, { limit: 2, sort: "-created", cursor: page.nextCursor! });
    await expect(refused).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(refused).rejects.toHaveProperty("why", "other-sort");
  });
});
