/**
 * The PeopleStore and AuditStore contracts, on every adapter inside workerd: tokens found by their
 * hash only, revoked once, their use recorded at most once a minute; members saved, replaced (first
 * creation kept), removed; audit entries read newest first per site with those for every site, paged.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ulid } from "../../edge/src/ids.ts";
import { D1AuditStore } from "../../edge/src/stores/d1/audit.ts";
import { D1PeopleStore } from "../../edge/src/stores/d1/people.ts";
import type { AuditEntry, AuditStore } from "../../edge/src/stores/ports/audit.ts";
import type { PeopleStore, StoredToken } from "../../edge/src/stores/ports/people.ts";
import { UpstashAuditStore } from "../../edge/src/stores/upstash/audit.ts";
import { UpstashPeopleStore } from "../../edge/src/stores/upstash/people.ts";
import { UpstashRest } from "../../edge/src/stores/upstash/rest.ts";
import { redis, unique } from "./adapters.ts";

const rest = () =>
  new UpstashRest({ url: env.CONTRACT_UPSTASH_URL, token: env.CONTRACT_UPSTASH_TOKEN, backoff: () => 20 });

const adapters: { name: string; people: () => PeopleStore; audit: () => AuditStore }[] = [
  { name: "d1", people: () => new D1PeopleStore(env.DB), audit: () => new D1AuditStore(env.DB) },
  {
    name: "upstash",
    people: () => new UpstashPeopleStore(rest()),
    audit: () => new UpstashAuditStore(rest()),
  },
  {
    name: "upstash (@upstash/redis)",
    people: () => new UpstashPeopleStore(redis()),
    audit: () => new UpstashAuditStore(redis()),
  },
];

const token = (overrides: Partial<StoredToken> = {}): StoredToken => ({
  id: unique("tok_"),
  hash: unique("hash"),
  name: "CRM write-back",
  role: "crm",
  sites: ["demo", "strict"],
  createdAt: "2026-12-01T10:00:00.000Z",
  createdBy: "bootstrap",
  expiresAt: "2027-01-01T00:00:00.000Z",
  revokedAt: null,
  lastUsedAt: null,
  ...overrides,
});

describe.each(adapters)("PeopleStore contract: $name", ({ people }) => {
  it("finds a token by its hash, lists it without the hash, and revokes it once", async () => {
    const store = people();
    const t = token();
    await store.createToken(t);
    expect(await store.tokenByHash(t.hash)).toEqual(t);
    expect(await store.tokenByHash(unique("other"))).toBeNull();
    const { hash: _hash, ...listed } = t;
    expect((await store.listTokens()).find((x) => x.id === t.id)).toEqual(listed);
    expect(await store.getToken(t.id)).toEqual(listed);
    expect(await store.revokeToken(t.id, "2026-12-02T10:00:00.000Z")).toBe(true);
    expect(await store.revokeToken(t.id, "2026-12-03T10:00:00.000Z")).toBe(false);
    expect((await store.tokenByHash(t.hash))?.revokedAt).toBe("2026-12-02T10:00:00.000Z");
    expect(await store.revokeToken(unique("tok_"), "2026-12-02T10:00:00.000Z")).toBe(false);
  });

  it("keeps a token for every site as `*`", async () => {
    const store = people();
    const t = token({ sites: "*", role: "analyst", expiresAt: null });
    await store.createToken(t);
    expect(await store.tokenByHash(t.hash)).toEqual(t);
  });

  it("records a token's use only when the last one is older than the bound", async () => {
    const store = people();
    const t = token();
    await store.createToken(t);
    await store.touchToken(t.id, "2026-12-01T10:00:00.000Z", "2026-12-01T09:59:00.000Z");
    expect((await store.getToken(t.id))?.lastUsedAt).toBe("2026-12-01T10:00:00.000Z");
    // 30 s later: the last use is after the bound (a minute back), nothing written.
    await store.touchToken(t.id, "2026-12-01T10:00:30.000Z", "2026-12-01T09:59:30.000Z");
    expect((await store.getToken(t.id))?.lastUsedAt).toBe("2026-12-01T10:00:00.000Z");
    await store.touchToken(t.id, "2026-12-01T10:01:10.000Z", "2026-12-01T10:00:10.000Z");
    expect((await store.getToken(t.id))?.lastUsedAt).toBe("2026-12-01T10:01:10.000Z");
  });

  it("saves a member, replaces their roles keeping when they were added, and removes them", async () => {
    const store = people();
    const email = `${unique("ada")}@example.com`;
    const first = await store.saveMember({
      email,
      roles: { demo: "editor", "*": "analyst" },
      createdAt: "2026-12-01T10:00:00.000Z",
      updatedAt: "2026-12-01T10:00:00.000Z",
    });
    expect(first).toEqual({
      email,
      roles: { demo: "editor", "*": "analyst" },
      createdAt: "2026-12-01T10:00:00.000Z",
      updatedAt: "2026-12-01T10:00:00.000Z",
    });
    const second = await store.saveMember({
      email,
      roles: { strict: "owner" },
      createdAt: "2026-12-05T10:00:00.000Z",
      updatedAt: "2026-12-05T10:00:00.000Z",
    });
    expect(second).toEqual({
      email,
      roles: { strict: "owner" },
      createdAt: "2026-12-01T10:00:00.000Z",
      updatedAt: "2026-12-05T10:00:00.000Z",
    });
    expect(await store.getMember(email)).toEqual(second);
    expect((await store.listMembers()).find((m) => m.email === email)).toEqual(second);
    expect(await store.removeMember(email)).toBe(true);
    expect(await store.removeMember(email)).toBe(false);
    expect(await store.getMember(email)).toBeNull();
  });
});

describe.each(adapters)("AuditStore contract: $name", ({ audit }) => {
  const entry = (site: string, action: string, at: number): AuditEntry => ({
    id: ulid(at),
    site,
    at: new Date(at).toISOString(),
    actor: "ada@example.com",
    actorKind: "member",
    action,
    target: "version 3: “quotes” | pipes",
  });

  it("reads a site's entries with those for every site, newest first, page by page", async () => {
    const store = audit();
    const site = unique("site-");
    const other = unique("site-");
    const t = Date.now();
    const own = [entry(site, "config.save", t - 5000), entry(site, "delivery.replay", t - 3000)];
    const everywhere = entry("*", "token.create", t - 4000);
    await store.appendAudit([...own, entry(other, "person.erase", t - 2000)]);
    await store.appendAudit([everywhere]);
    const all = await store.listAudit(site, 100);
    const mine = all.filter((e) => e.site === site || e.id === everywhere.id);
    expect(mine).toEqual([own[1], everywhere, own[0]]);
    expect(all.some((e) => e.site === other)).toBe(false);
    // Pages: below the cursor only.
    const [firstPage] = [await store.listAudit(site, 1, own[1]!.id)];
    expect(firstPage!.length).toBe(1);
    expect(firstPage![0]!.id < own[1]!.id).toBe(true);
    const below = (await store.listAudit(site, 100, everywhere.id)).filter((e) => e.site === site);
    expect(below).toEqual([own[0]]);
  });

  it("appends nothing for no entries", async () => {
    await audit().appendAudit([]);
  });
});
