/**
 * The CaptureStore contract, on every adapter inside workerd: counters upserted per site, day, route,
 * reason and origin with their last seen time; a day's distinct origins bounded (the rest counted as
 * "*"); concurrent counts never lost; bot submissions read back from the lead store's spam records.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { D1CaptureStore } from "../../edge/src/stores/d1/capture.ts";
import { D1Ingest } from "../../edge/src/stores/d1/ingest.ts";
import { type CaptureStore, MAX_CAPTURE_KEYS_PER_DAY } from "../../edge/src/stores/ports/capture.ts";
import type { IngestStore } from "../../edge/src/stores/ports/ingest.ts";
import { UpstashCaptureStore } from "../../edge/src/stores/upstash/capture.ts";
import { UpstashIngest } from "../../edge/src/stores/upstash/ingest.ts";
import { UpstashRest } from "../../edge/src/stores/upstash/rest.ts";
import { redis, unique } from "./adapters.ts";

const rest = () =>
  new UpstashRest({ url: env.CONTRACT_UPSTASH_URL, token: env.CONTRACT_UPSTASH_TOKEN, backoff: () => 20 });

const adapters: { name: string; store: () => CaptureStore; leads: () => IngestStore }[] = [
  { name: "d1", store: () => new D1CaptureStore(env.DB), leads: () => new D1Ingest(env.DB) },
  {
    name: "upstash",
    store: () => new UpstashCaptureStore(rest()),
    leads: () => new UpstashIngest(rest()),
  },
  {
    name: "upstash (@upstash/redis)",
    store: () => new UpstashCaptureStore(redis()),
    leads: () => new UpstashIngest(redis()),
  },
];

describe.each(adapters)("CaptureStore contract: $name", ({ store: make, leads }) => {
  it("counts per day, route, reason and origin, keeping the newest time seen", async () => {
    const store = make();
    const site = unique("site-");
    const other = unique("site-");
    await store.count(site, [
      {
        route: "leads",
        reason: "origin_not_allowed",
        origin: "https://new.example",
        at: "2026-11-20T10:00:00.000Z",
      },
      {
        route: "leads",
        reason: "origin_not_allowed",
        origin: "https://new.example",
        at: "2026-11-20T09:00:00.000Z",
      },
    ]);
    await store.count(site, [
      {
        route: "events",
        reason: "origin_not_allowed",
        origin: "https://new.example",
        at: "2026-11-20T11:00:00.000Z",
        count: 3,
      },
      { route: "leads", reason: "invalid_answers", origin: "", at: "2026-11-21T08:00:00.000Z" },
      {
        route: "leads",
        reason: "origin_not_allowed",
        origin: "https://new.example",
        at: "2026-11-22T08:00:00.000Z",
      },
    ]);
    await store.count(other, [
      {
        route: "leads",
        reason: "rate_limited",
        origin: "https://other.example",
        at: "2026-11-20T10:00:00.000Z",
      },
    ]);
    const { rows, bots } = await store.read(site, "2026-11-20", "2026-11-22");
    expect(bots).toEqual([]);
    expect(rows).toEqual([
      {
        day: "2026-11-20",
        route: "events",
        reason: "origin_not_allowed",
        origin: "https://new.example",
        count: 3,
        lastSeen: "2026-11-20T11:00:00.000Z",
      },
      {
        day: "2026-11-20",
        route: "leads",
        reason: "origin_not_allowed",
        origin: "https://new.example",
        count: 2,
        lastSeen: "2026-11-20T10:00:00.000Z",
      },
      {
        day: "2026-11-21",
        route: "leads",
        reason: "invalid_answers",
        origin: "",
        count: 1,
        lastSeen: "2026-11-21T08:00:00.000Z",
      },
    ]);
    // `to` is excluded; another site's counters are its own.
    expect((await store.read(site, "2026-11-22", "2026-11-23")).rows).toHaveLength(1);
    expect((await store.read(other, "2026-11-20", "2026-11-23")).rows).toEqual([
      expect.objectContaining({ reason: "rate_limited", origin: "https://other.example", count: 1 }),
    ]);
  });

  it("loses no count when many requests count the same thing at once", async () => {
    const site = unique("site-");
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        make().count(site, [
          {
            route: "leads",
            reason: "payload_too_large",
            origin: "https://www.example.com",
            at: `2026-11-20T10:00:${String(i).padStart(2, "0")}.000Z`,
          },
        ]),
      ),
    );
    expect((await make().read(site, "2026-11-20", "2026-11-21")).rows).toEqual([
      {
        day: "2026-11-20",
        route: "leads",
        reason: "payload_too_large",
        origin: "https://www.example.com",
        count: 20,
        lastSeen: "2026-11-20T10:00:19.000Z",
      },
    ]);
  });

  it("names at most MAX_CAPTURE_KEYS_PER_DAY counters a day; later new origins count as *", async () => {
    const store = make();
    const site = unique("site-");
    const at = "2026-11-20T10:00:00.000Z";
    const many = Array.from({ length: MAX_CAPTURE_KEYS_PER_DAY + 5 }, (_, i) => ({
      route: "leads" as const,
      reason: "origin_not_allowed" as const,
      origin: `https://o${i}.example`,
      at,
    }));
    await store.count(site, many);
    // A counter that exists keeps counting under its own name.
    await store.count(site, [{ ...many[0]!, count: 2 }]);
    // Another day has its own room.
    await store.count(site, [{ ...many.at(-1)!, at: "2026-11-21T10:00:00.000Z" }]);
    const { rows } = await store.read(site, "2026-11-20", "2026-11-22");
    const first = rows.filter((r) => r.day === "2026-11-20");
    expect(first).toHaveLength(MAX_CAPTURE_KEYS_PER_DAY + 1);
    expect(first.find((r) => r.origin === "*")?.count).toBe(5);
    expect(first.find((r) => r.origin === "https://o0.example")?.count).toBe(3);
    expect(first.reduce((sum, r) => sum + r.count, 0)).toBe(MAX_CAPTURE_KEYS_PER_DAY + 5 + 2);
    expect(rows.filter((r) => r.day === "2026-11-21")).toEqual([
      expect.objectContaining({ origin: `https://o${MAX_CAPTURE_KEYS_PER_DAY + 4}.example`, count: 1 }),
    ]);
  });

  it("reads bot submissions per day from the spam records", async () => {
    const site = unique("site-");
    const spam = (reason: string, now: string) =>
      leads().recordSpam({ site, form: "contact", submissionId: unique("sub_"), reason, now });
    await spam("honeypot:website", "2026-11-20T10:00:00.000Z");
    await spam("time_trap", "2026-11-20T23:59:59.000Z");
    await spam("turnstile:failed", "2026-11-22T01:00:00.000Z");
    await spam("honeypot:website", "2026-11-23T01:00:00.000Z");
    const { rows, bots } = await make().read(site, "2026-11-20", "2026-11-23");
    expect(rows).toEqual([]);
    expect(bots).toEqual([
      { day: "2026-11-20", count: 2 },
      { day: "2026-11-22", count: 1 },
    ]);
  });
});
