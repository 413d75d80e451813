/**
 * The SiteRemovalStore contract, on every adapter: after leads (with submissions, events, stages,
 * outcomes, outbox rows and attempts), saved configs, capture counters, tokens and members for two
 * sites, removing one leaves nothing of it (but its audit entries) and the other exactly as it was.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { D1AuditStore } from "../../edge/src/stores/d1/audit.ts";
import { D1CaptureStore } from "../../edge/src/stores/d1/capture.ts";
import { D1SiteConfigStore } from "../../edge/src/stores/d1/config.ts";
import { D1DeliveryStore } from "../../edge/src/stores/d1/delivery.ts";
import { D1PeopleStore } from "../../edge/src/stores/d1/people.ts";
import { D1SiteRemoval } from "../../edge/src/stores/d1/site-removal.ts";
import type { AuditStore } from "../../edge/src/stores/ports/audit.ts";
import type { CaptureStore } from "../../edge/src/stores/ports/capture.ts";
import type { SiteConfigStore } from "../../edge/src/stores/ports/config.ts";
import type { DeliveryStore } from "../../edge/src/stores/ports/delivery.ts";
import type { LeadStore } from "../../edge/src/stores/ports/index.ts";
import type { PeopleStore } from "../../edge/src/stores/ports/people.ts";
import type { SiteRemovalStore } from "../../edge/src/stores/ports/site-removal.ts";
import { UpstashAuditStore } from "../../edge/src/stores/upstash/audit.ts";
import { UpstashCaptureStore } from "../../edge/src/stores/upstash/capture.ts";
import { UpstashSiteConfigStore } from "../../edge/src/stores/upstash/config.ts";
import { UpstashDeliveryStore } from "../../edge/src/stores/upstash/delivery.ts";
import { UpstashPeopleStore } from "../../edge/src/stores/upstash/people.ts";
import { type RedisCommands, UpstashRest } from "../../edge/src/stores/upstash/rest.ts";
import { UpstashSiteRemoval } from "../../edge/src/stores/upstash/site-removal.ts";
import { command, d1, redis, unique, upstash } from "./adapters.ts";

interface Stores {
  name: string;
  leads: () => LeadStore;
  removal: () => SiteRemovalStore;
  configs: () => SiteConfigStore;
  deliveries: () => DeliveryStore;
  capture: () => CaptureStore;
  people: () => PeopleStore;
  audit: () => AuditStore;
  /** What is left in the store's own storage under the site's name. */
  leftovers: (site: string, leadIds: string[]) => Promise<string[]>;
}

const D1_TABLES = [
  "site_configs",
  "leads",
  "submissions",
  "lead_events",
  "stage_history",
  "outcomes",
  "outbox",
  "delivery_attempts",
  "spam",
  "form_stats",
  "touch_stats",
  "capture_health",
  "destination_state",
  "erasures",
];

async function keys(pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = "0";
  do {
    const [next, page] = await redis().scan(cursor, { match: pattern, count: 1000 });
    cursor = String(next);
    found.push(...page);
  } while (cursor !== "0");
  return found;
}

const rest = (): RedisCommands =>
  new UpstashRest({ url: env.CONTRACT_UPSTASH_URL, token: env.CONTRACT_UPSTASH_TOKEN, backoff: () => 20 });

const adapters: Stores[] = [
  {
    name: "d1",
    leads: d1.store,
    removal: () => new D1SiteRemoval(env.DB),
    configs: () => new D1SiteConfigStore(env.DB),
    deliveries: () => new D1DeliveryStore(env.DB),
    capture: () => new D1CaptureStore(env.DB),
    people: () => new D1PeopleStore(env.DB),
    audit: () => new D1AuditStore(env.DB),
    async leftovers(site) {
      const left: string[] = [];
      for (const table of D1_TABLES) {
        const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE site = ?1`)
          .bind(site)
          .first<{ n: number }>();
        if (row?.n) left.push(`${table}: ${row.n}`);
      }
      return left;
    },
  },
  {
    name: "upstash",
    leads: upstash.store,
    removal: () => new UpstashSiteRemoval(rest()),
    configs: () => new UpstashSiteConfigStore(rest()),
    deliveries: () => new UpstashDeliveryStore(rest()),
    capture: () => new UpstashCaptureStore(rest()),
    people: () => new UpstashPeopleStore(rest()),
    audit: () => new UpstashAuditStore(rest()),
    async leftovers(site, leadIds) {
      const left = [...(await keys(`lc:${site}:*`)), ...(await keys(`lc:config:${site}`))];
      for (const id of leadIds) left.push(...(await keys(`lc:lead:${id}*`)));
      if (await redis().sismember("lc:configs", site)) left.push("lc:configs member");
      return left;
    },
  },
];

const later = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** A site with one lead that has everything, a second lead, two config versions, capture counters. */
async function populate(s: Stores, site: string) {
  const store = s.leads();
  const dedupeKey = unique("dk_");
  const first = command({ site, dedupeKey, destinations: ["hook", "crm"] });
  await store.ingest(first);
  const repeat = command({ site, dedupeKey, destinations: ["hook"], now: later(first.now, 1000) });
  await store.ingest(repeat);
  const second = command({ site, dedupeKey: unique("dk_"), destinations: ["hook"] });
  await store.ingest(second);
  const read = (await store.getLeadForUpdate(first.lead.id))!;
  const at = later(first.now, 2000);
  expect(
    await store.updateLead({
      lead: { ...read.lead, stage: "SQL", updatedAt: at },
      rev: read.rev,
      events: [{ type: "webinar.attended", at, props: {} }],
      stageChange: { from: read.lead.stage, to: "SQL", cause: "accepted by sales", at },
      outcome: { leadId: first.lead.id, outcome: "converted", at, value: 10 },
      deliveries: [],
    }),
  ).toBe(true);
  const deliveries = s.deliveries();
  const row = (await deliveries.getDelivery(first.deliveries[0]!.id))!;
  await deliveries.recordAttempt(
    row,
    {
      kind: "retry",
      status: 500,
      error: "HTTP 500",
      at,
      latencyMs: 10,
      excerpt: "boom",
      nextAttemptAt: later(at, 5000),
      leasedUntil: null,
    },
    { ok: false, at },
  );
  const configs = s.configs();
  for (const version of [1, 2]) {
    const saved = await configs.saveConfig({
      site,
      version,
      config: { id: site, name: `v${version}` },
      note: "",
      author: "test",
      createdAt: at,
    });
    expect(saved).toBe(true);
  }
  await s
    .capture()
    .count(site, [{ route: "leads", reason: "origin_not_allowed", origin: "https://x.example", at }]);
  return { leadIds: [first.lead.id, second.lead.id], dedupeKey, day: at.slice(0, 10) };
}

/** Everything the ports answer about a site, to compare before and after. */
async function snapshot(s: Stores, site: string, data: Awaited<ReturnType<typeof populate>>) {
  const store = s.leads();
  return {
    leads: await store.listLeads(site, { limit: 10, sort: "-created" }),
    person: await store.exportPerson(site, data.dedupeKey),
    attempts: await Promise.all(
      ((await store.exportPerson(site, data.dedupeKey))?.deliveries ?? []).map((d) =>
        s.deliveries().listAttempts(d.id),
      ),
    ),
    versions: await s.configs().listConfigVersions(site, 10),
    current: (await s.configs().currentConfigs()).find((c) => c.site === site) ?? null,
    capture: await s
      .capture()
      .read(site, data.day, later(`${data.day}T00:00:00.000Z`, 86_400_000).slice(0, 10)),
  };
}

describe.each(adapters)("SiteRemovalStore contract: $name", (s) => {
  it("removes everything of one site and nothing of another", async () => {
    const site = unique("gone_");
    const other = unique("kept_");
    const gone = await populate(s, site);
    const kept = await populate(s, other);
    const people = s.people();
    const both = { id: unique("tok_"), hash: unique("h"), sites: [site, other] };
    const only = { id: unique("tok_"), hash: unique("h"), sites: [site] };
    const all = { id: unique("tok_"), hash: unique("h"), sites: "*" as const };
    for (const t of [both, only, all]) {
      await people.createToken({
        ...t,
        name: "t",
        role: "analyst",
        createdAt: "2026-12-01T00:00:00.000Z",
        createdBy: "bootstrap",
        expiresAt: null,
        revokedAt: null,
        lastUsedAt: null,
      });
    }
    const email = `${unique("m")}@example.com`;
    const soleEmail = `${unique("m")}@example.com`;
    const times = { createdAt: "2026-12-01T00:00:00.000Z", updatedAt: "2026-12-01T00:00:00.000Z" };
    await people.saveMember({ email, roles: { [site]: "editor", [other]: "analyst" }, ...times });
    await people.saveMember({ email: soleEmail, roles: { [site]: "owner" }, ...times });
    const auditId = unique("audit_");
    await s.audit().appendAudit([
      {
        id: auditId,
        site,
        at: times.createdAt,
        actor: "a",
        actorKind: "token",
        action: "config.save",
        target: "v1",
      },
    ]);
    const before = await snapshot(s, other, kept);
    expect(before.leads.leads).toHaveLength(2);

    const at = "2026-12-08T00:00:00.000Z";
    const removed = await s.removal().removeSite(site, at);
    expect(removed).toMatchObject({
      configVersions: 2,
      leads: 2,
      submissions: 3,
      events: 1,
      stages: 1,
      outcomes: 1,
      deliveries: 4,
      attempts: 1,
      tokens: 2,
      members: 2,
    });
    expect(removed.other).toBeGreaterThan(0);

    expect(await s.leftovers(site, gone.leadIds)).toEqual([]);
    const store = s.leads();
    for (const id of gone.leadIds) expect(await store.getLead(id)).toBeNull();
    expect((await store.listLeads(site, { limit: 10, sort: "-created" })).leads).toEqual([]);
    expect(await store.exportPerson(site, gone.dedupeKey)).toBeNull();
    expect(await s.configs().listConfigVersions(site, 10)).toEqual([]);
    expect((await s.configs().currentConfigs()).some((c) => c.site === site)).toBe(false);

    // Tokens and members lose the site, and keep everything else.
    expect((await people.getToken(both.id))?.sites).toEqual([other]);
    expect((await people.getToken(only.id))?.sites).toEqual([]);
    expect((await people.getToken(all.id))?.sites).toBe("*");
    expect(await people.getMember(email)).toEqual({
      email,
      roles: { [other]: "analyst" },
      ...times,
      updatedAt: at,
    });
    expect((await people.getMember(soleEmail))?.roles).toEqual({});
    // The audit log is kept whole.
    expect((await s.audit().listAudit(site, 10)).map((e) => e.id)).toContain(auditId);

    // The other site, exactly as it was.
    expect(await snapshot(s, other, kept)).toEqual(before);
    // Removing it again removes nothing.
    expect(await s.removal().removeSite(site, at)).toEqual({
      configVersions: 0,
      leads: 0,
      submissions: 0,
      events: 0,
      stages: 0,
      outcomes: 0,
      deliveries: 0,
      attempts: 0,
      other: 0,
      tokens: 0,
      members: 0,
    });
  });
});
