/**
 * The Upstash adapter's per-client limit: @upstash/ratelimit over the slim REST client, through the
 * bridge to a real redis-server, inside workerd.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { limitRate, type RateRule } from "../../edge/src/stores/upstash/ratelimit.ts";
import { UpstashRest } from "../../edge/src/stores/upstash/rest.ts";
import { redis, unique } from "./adapters.ts";

const client = () =>
  new UpstashRest({ url: env.CONTRACT_UPSTASH_URL, token: env.CONTRACT_UPSTASH_TOKEN, backoff: () => 20 });

describe.each<RateRule["algorithm"]>(["sliding", "fixed"])("@upstash/ratelimit, %s window", (algorithm) => {
  const rule: RateRule = { limit: 3, windowSeconds: 3600, algorithm };

  it("lets the limit through, refuses the next with when to retry, and keeps clients and sites apart", async () => {
    const site = unique("site_");
    const key = unique("client_");
    for (let i = 0; i < 3; i++) expect((await limitRate(client(), site, key, rule)).ok).toBe(true);
    const refused = await limitRate(client(), site, key, rule);
    expect(refused.ok).toBe(false);
    expect(refused.retryAfter).toBeGreaterThan(0);
    expect(refused.retryAfter).toBeLessThanOrEqual(2 * 3600);
    expect((await limitRate(client(), site, unique("client_"), rule)).ok).toBe(true);
    expect((await limitRate(client(), unique("site_"), key, rule)).ok).toBe(true);
  });

  it("keeps its counters under the site's namespace, each with an expiry", async () => {
    const site = unique("site_");
    await limitRate(client(), site, unique("client_"), rule);
    const r = redis();
    const keys = await r.keys(`lc:${site}:rl:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) {
      const ttl = await r.pttl(k);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(2 * 3600 * 1000 + 1000);
    }
  });

  it("turns a blocked client away from memory, without another Redis call", async () => {
    const site = unique("site_");
    const key = unique("client_");
    let calls = 0;
    const real = client();
    const counted = {
      evalsha(...args: Parameters<UpstashRest["evalsha"]>) {
        calls++;
        return real.evalsha(...args);
      },
      eval(...args: Parameters<UpstashRest["eval"]>) {
        calls++;
        return real.eval(...args);
      },
    };
    for (let i = 0; i < 4; i++) await limitRate(counted, site, key, rule);
    const before = calls;
    expect((await limitRate(counted, site, key, rule)).ok).toBe(false);
    expect(calls).toBe(before);
  });
});
