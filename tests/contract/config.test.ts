/**
 * The SiteConfigStore contract, on every adapter inside workerd: saved versions, the newest served,
 * optimistic saves (a stale base loses, never overwrites), history paging, versions read back whole.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { D1SiteConfigStore } from "../../edge/src/stores/d1/config.ts";
import type { ConfigVersion, SiteConfigStore } from "../../edge/src/stores/ports/config.ts";
import { UpstashSiteConfigStore } from "../../edge/src/stores/upstash/config.ts";
import { UpstashRest } from "../../edge/src/stores/upstash/rest.ts";
import { redis, unique } from "./adapters.ts";

const adapters: { name: string; store: () => SiteConfigStore }[] = [
  { name: "d1", store: () => new D1SiteConfigStore(env.DB) },
  {
    name: "upstash",
    store: () =>
      new UpstashSiteConfigStore(
        new UpstashRest({
          url: env.CONTRACT_UPSTASH_URL,
          token: env.CONTRACT_UPSTASH_TOKEN,
          backoff: () => 20,
        }),
      ),
  },
  { name: "upstash (@upstash/redis)", store: () => new UpstashSiteConfigStore(redis()) },
];

const entry = (site: string, version: number, name = `v${version}`): ConfigVersion => ({
  site,
  version,
  config: { id: site, name, forms: [{ id: "contact", fields: [{ name: "email", type: "email" }] }] },
  note: `note ${version}`,
  author: "token 0a1b2c3d",
  createdAt: new Date(Date.UTC(2026, 10, 20, 10, version)).toISOString(),
});

describe.each(adapters)("SiteConfigStore contract: $name", ({ store: make }) => {
  it("serves the newest saved version of each site", async () => {
    const store = make();
    const a = unique("site-");
    const b = unique("site-");
    expect(await store.saveConfig(entry(a, 1))).toBe(true);
    expect(await store.saveConfig(entry(a, 2))).toBe(true);
    expect(await store.saveConfig(entry(b, 1))).toBe(true);
    const current = (await store.currentConfigs()).filter((c) => c.site === a || c.site === b);
    expect(current.sort((x, y) => (x.site < y.site ? -1 : 1))).toEqual(
      [entry(a, 2), entry(b, 1)].sort((x, y) => (x.site < y.site ? -1 : 1)),
    );
  });

  it("saves only the version right after the newest: a stale or skipped base writes nothing", async () => {
    const store = make();
    const site = unique("site-");
    expect(await store.saveConfig(entry(site, 2))).toBe(false); // nothing saved yet: 1 comes first
    expect(await store.saveConfig(entry(site, 1, "first"))).toBe(true);
    expect(await store.saveConfig(entry(site, 1, "overwrite"))).toBe(false);
    expect(await store.getConfigVersion(site, 1)).toEqual(entry(site, 1, "first"));
    expect(await store.getConfigVersion(site, 2)).toBeNull();
  });

  it("lets exactly one of many concurrent saves on the same base win", async () => {
    const site = unique("site-");
    await make().saveConfig(entry(site, 1));
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => make().saveConfig(entry(site, 2, `editor ${i}`))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect((await make().getConfigVersion(site, 2))?.config).toMatchObject({ name: `editor ${winner}` });
  });

  it("lists versions newest first, without their configs, paged with `before`", async () => {
    const store = make();
    const site = unique("site-");
    for (let v = 1; v <= 5; v++) expect(await store.saveConfig(entry(site, v))).toBe(true);
    const summary = (v: number) => {
      const { config: _, ...rest } = entry(site, v);
      return rest;
    };
    expect(await store.listConfigVersions(site, 2)).toEqual([summary(5), summary(4)]);
    expect(await store.listConfigVersions(site, 2, 4)).toEqual([summary(3), summary(2)]);
    expect(await store.listConfigVersions(site, 10, 2)).toEqual([summary(1)]);
    expect(await store.listConfigVersions(unique("site-"), 10)).toEqual([]);
  });
});
