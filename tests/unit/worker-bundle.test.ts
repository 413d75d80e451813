/**
 * The Worker as `wrangler deploy` builds it (dry run): the default build carries the D1 store only and
 * stays within the 64 KB gzip budget; `npm run deploy:upstash` carries the Upstash store too. A default
 * build given Upstash credentials refuses (503, retry) instead of quietly keeping leads in D1.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, bundleWorker, gzipBytes } from "../bench/part.ts";

const BUDGET = 64 * 1024;
/** A command only the Upstash adapter sends (its scripts go out as EVALSHA). */
const UPSTASH_MARK = "EVALSHA";

let dir: string;
let d1Build: string;
let upstashBuild: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "leadcap-worker-"));
  const [d1Path, upstashPath] = await Promise.all([
    bundleWorker(join(dir, "d1")),
    bundleWorker(join(dir, "upstash"), { upstash: true }),
  ]);
  [d1Build, upstashBuild] = await Promise.all([readFile(d1Path, "utf8"), readFile(upstashPath, "utf8")]);
}, 120_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the Worker bundle", () => {
  it("is at most 64 KB gzip in its default (D1) build, without the Upstash store", () => {
    expect(gzipBytes(Buffer.from(d1Build))).toBeLessThanOrEqual(BUDGET);
    expect(d1Build).not.toContain(UPSTASH_MARK);
  });

  it("carries the Upstash store in the deploy:upstash build", () => {
    expect(upstashBuild).toContain(UPSTASH_MARK);
  });

  it("answers 503 (retry) when the default build is given Upstash credentials, and stores nothing", async () => {
    const mf = new Miniflare(
      convertV4MiniflareOptions({
        modules: [{ type: "ESModule", path: "index.js", contents: d1Build }],
        compatibilityDate: "2026-10-01",
        d1Databases: ["DB"],
        queueProducers: { DELIVERY: "leadcap-delivery" },
        bindings: {
          LEADCAP_SECRET: "test-secret",
          DEMO_ORIGINS: "https://www.example.com",
          UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9",
          UPSTASH_REDIS_REST_TOKEN: "token",
        },
      }),
    );
    try {
      const url = await mf.ready;
      await applyMigrations(mf);
      const res = await fetch(new URL("/v1/leads", url), {
        method: "POST",
        headers: { "content-type": "application/json", origin: "https://www.example.com" },
        body: JSON.stringify({
          site: "demo",
          form: "contact",
          submissionId: "sub_upstash_not_built",
          fields: { email: "a@example.com", name: "A", consent: true },
        }),
      });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unavailable");
      // Nothing went to D1 instead.
      const db = await mf.getD1Database("DB");
      expect(await db.prepare("select count(*) as n from leads").first("n")).toBe(0);
      expect(await db.prepare("select count(*) as n from outbox").first("n")).toBe(0);
    } finally {
      await mf.dispose();
    }
  }, 60_000);
});
