/**
 * The store part of `npm run bench`: what a lead costs each LeadStore adapter, and ingest throughput
 * with each, side by side in one run.
 *
 * Cost (Upstash bills per command, and every store round trip is latency):
 * - Upstash: the adapter's ingest from this process to the REST bridge in front of a real
 *   redis-server; the bridge counts HTTP round trips and commands (a Lua script is one command, as
 *   Upstash bills it); INFO commandstats adds the calls Redis ran inside the scripts.
 * - D1: the adapter's ingest against Miniflare's local D1 through a counting proxy: batches (round
 *   trips) and SQL statements.
 * A new lead, then a duplicate (same email, new submission id). The `_request` figures are a whole
 * POST /v1/leads through the Worker, background work included (a duplicate is re-scored after the
 * answer: a read, the events, a guarded update).
 *
 * Throughput: POST /v1/leads (new leads) on workerd (the built Worker bundle in Miniflare) with D1,
 * then with Upstash through the bridge; 16 concurrent, loopback, bounded in time.
 */
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { Pool } from "undici";
import { startBridge } from "../../demo-site/dev/bridge.ts";
import { commandStats, startRedis } from "../../demo-site/dev/redis.ts";
import { REPO } from "../../demo-site/dev/stack.ts";
import type { LeadStore } from "../../edge/src/stores/ports/index.ts";
import type { IngestCommand } from "../../edge/src/stores/ports/ingest.ts";
import { UpstashRest } from "../../edge/src/stores/upstash/rest.ts";
import type { Lead, LeadSubmission } from "../../shared/lead.ts";
import { devSites } from "../../shared/sites/dev.ts";
import { applyMigrations, benchSubmission, bundleWorker, type Figures, type Part } from "./part.ts";

/** Miniflare's D1 binding, as this Node process sees it. */
type D1Database = Awaited<ReturnType<Miniflare["getD1Database"]>>;
type D1PreparedStatement = ReturnType<D1Database["prepare"]>;

const COMPATIBILITY_DATE = "2026-10-01";
const LOAD_MS = 5_000;
const CONCURRENCY = 16;
const SAMPLES = 20;

/** A command as the pipeline plans one (edge/src/pipeline/plan.ts): one destination, one outbox row. */
function command(run: string, i: number, email: number): IngestCommand {
  const now = new Date().toISOString();
  const touch = {
    utm_source: "bench",
    utm_medium: "cpc",
    utm_campaign: "load",
    landingPage: "https://www.example.com/",
    channel: "paid_search",
    at: now,
  };
  const engagement = { activeTimeMs: 30_000, maxScrollPct: 60, pageViews: 2, visits: 1 };
  const page = { url: "https://www.example.com/", title: "bench" };
  const fields = {
    email: `lead${email}.${run}@bench.example`,
    name: `Lead ${email}`,
    company: "Bench Inc",
    consent: true,
  };
  const submissionId = `bench_${run}_${i}`;
  const lead: Lead = {
    id: `lead_${run}_${i}`,
    site: "demo",
    form: "contact",
    email: fields.email,
    fields,
    consent: [{ field: "consent", text: "I agree", at: now }],
    score: 55,
    temperature: "warm",
    stage: "IQL",
    reasons: [{ rule: "company", label: "Company given", points: 10 }],
    components: { fit: 40, engagement: 30, intent: 20 },
    firstTouch: touch,
    lastTouch: touch,
    engagement,
    page,
    submissionCount: 1,
    conversions: 1,
    lastConversionAt: now,
    createdAt: now,
    updatedAt: now,
  };
  return {
    site: "demo",
    submissionId,
    dedupeKey: `dk_${run}_${email}`,
    lead,
    mergePatch: {
      form: "contact",
      fields,
      lastTouch: touch,
      engagement,
      page,
      updatedAt: now,
      consent: lead.consent,
    },
    fillPatch: {},
    record: { submissionId, form: "contact", fields, touch, engagement, page, at: now },
    scoringVersion: "bench",
    dedupeWindowDays: 30,
    // A rate window, as a production request (not from loopback) would count against.
    rateWindow: {
      key: `client_${run}_${i}`,
      windowStart: 1_800_000_000,
      previousWindowStart: 1_799_999_940,
      previousWeight: 0.5,
      limit: 20,
      windowSeconds: 60,
      algorithm: "sliding",
    },
    deliveries: [{ id: `msg_${run}_${i}`, destination: "webhook" }],
    now,
  };
}

/** Counts D1 round trips (a batch, or one statement run alone) and the statements they carried. */
function countingD1(db: D1Database) {
  const counts = { batches: 0, queries: 0 };
  const wrapStatement = (statement: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(statement, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop === "bind") return (...args: unknown[]) => wrapStatement(target.bind(...args));
        if (typeof value === "function" && ["run", "first", "all", "raw"].includes(String(prop))) {
          return (...args: unknown[]) => {
            counts.batches++;
            counts.queries++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  const unwrap = new WeakMap<object, D1PreparedStatement>();
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare")
        return (sql: string) => {
          const real = target.prepare(sql);
          const wrapped = wrapStatement(real);
          unwrap.set(wrapped, real);
          return wrapped;
        };
      if (prop === "batch")
        return (statements: D1PreparedStatement[]) => {
          counts.batches++;
          counts.queries += statements.length;
          // The binding needs its own statement objects: bound copies were wrapped again by bind().
          return target.batch(statements.map((s) => unwrap.get(s) ?? s));
        };
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: proxy, counts };
}

/** Median over SAMPLES of what `measure` reports for one ingest. */
async function median(measure: (i: number) => Promise<number[]>): Promise<number[]> {
  const samples: number[][] = [];
  for (let i = 0; i < SAMPLES; i++) samples.push(await measure(i));
  return samples[0]!.map((_, k) => {
    const sorted = samples.map((s) => s[k]!).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  });
}

/** Closed-loop load of new leads: requests per second that answered 201. */
async function throughput(url: URL, run: string): Promise<{ rps: number; failures: number }> {
  const pool = new Pool(url.origin, { connections: CONCURRENCY, pipelining: 1 });
  let next = 0;
  let ok = 0;
  let failures = 0;
  const post = async (i: number) => {
    const res = await pool.request({
      path: "/v1/leads",
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "127.0.0.1" },
      body: JSON.stringify(benchSubmission(run, i)),
    });
    await res.body.arrayBuffer();
    if (res.statusCode === 201) ok++;
    else failures++;
  };
  for (let i = 0; i < 50; i++) await post(1_000_000 + i); // warm-up
  ok = 0;
  failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() - started < LOAD_MS) await post(next++);
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return { rps: ok / elapsed, failures };
}

export const storePart: Part = {
  name: "store",
  describe: `store cost per new lead and per duplicate (Upstash: round trips and commands at the bridge; D1: batches and queries), and POST /v1/leads on workerd with each store, ${CONCURRENCY} concurrent, ${LOAD_MS / 1000} s each`,
  async run(): Promise<Figures> {
    await mkdir(join(REPO, ".wrangler"), { recursive: true });
    const dir = await mkdtemp(join(REPO, ".wrangler", "bench-store-"));
    const redis = await startRedis();
    const token = `bench-${crypto.randomUUID()}`;
    const bridge = await startBridge({ redisPort: redis.port, token, control: true });
    const redisClient = redis.client();
    const run = Date.now().toString(36);
    const miniflares: Miniflare[] = [];
    try {
      // Each store on the build that deploys it: the default one for D1, deploy:upstash's for Upstash.
      const [d1Path, upstashPath] = await Promise.all([
        bundleWorker(join(dir, "worker")),
        bundleWorker(join(dir, "worker-upstash"), { upstash: true }),
      ]);
      const worker = async (upstash: boolean) => {
        const mf = new Miniflare(
          convertV4MiniflareOptions({
            modules: [
              {
                type: "ESModule",
                path: "index.js",
                contents: await readFile(upstash ? upstashPath : d1Path, "utf8"),
              },
            ],
            compatibilityDate: COMPATIBILITY_DATE,
            d1Databases: ["DB"],
            d1Persist: join(dir, upstash ? "d1-upstash" : "d1"),
            queueProducers: { DELIVERY: "leadcap-delivery" },
            bindings: {
              LEADCAP_SECRET: "bench-secret",
              LEADCAP_SITES: devSites(),
              DEMO_ORIGINS: "https://www.example.com",
              DEMO_WEBHOOK_URL: "http://127.0.0.1:9/hook",
              DEMO_WEBHOOK_SECRET: "whsec_YmVuY2gtc2VjcmV0LWJlbmNoLXNlY3JldA==",
              ...(upstash ? { UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: token } : {}),
            },
          }),
        );
        miniflares.push(mf);
        const url = await mf.ready;
        await applyMigrations(mf);
        return { mf, url };
      };
      const d1Worker = await worker(false);
      const upstashWorker = await worker(true);

      // Cost of the adapters' ingest, from this process.
      // The adapters by computed names: they are type-checked with Workers types (edge/tsconfig.json),
      // not by this Node project.
      const upstashModule = "../../edge/src/stores/upstash/index.ts";
      const d1Module = "../../edge/src/stores/d1/index.ts";
      const { upstashLeadStore } = (await import(upstashModule)) as {
        upstashLeadStore: (redis: UpstashRest) => LeadStore;
      };
      const { d1LeadStore } = (await import(d1Module)) as { d1LeadStore: (db: unknown) => LeadStore };
      const upstashStore: LeadStore = upstashLeadStore(new UpstashRest({ url: bridge.url, token }));
      await upstashStore.ingest(command(`${run}w`, 0, 0)); // loads the script (EVALSHA → NOSCRIPT → EVAL)
      const upstashCost = (duplicate: boolean) =>
        median(async (i) => {
          const email = duplicate ? 0 : i + 1;
          const c = command(`${run}u${duplicate ? "d" : "n"}`, i, email);
          if (duplicate && i === 0)
            await upstashStore.ingest(command(`${run}u${duplicate ? "d" : "n"}`, 10_000, 0));
          const callsBefore = await commandStats(redisClient);
          bridge.resetStats();
          await upstashStore.ingest(c);
          const { requests, commands } = bridge.stats();
          const callsAfter = await commandStats(redisClient);
          const inner = Object.entries(callsAfter).reduce(
            (sum, [name, n]) => (name === "info" ? sum : sum + n - (callsBefore[name] ?? 0)),
            0,
          );
          return [requests, commands, inner];
        });
      const [upNewTrips, upNewCommands, upNewCalls] = await upstashCost(false);
      const [upDupTrips, upDupCommands, upDupCalls] = await upstashCost(true);

      const counted = countingD1(await d1Worker.mf.getD1Database("DB"));
      const d1Store: LeadStore = d1LeadStore(counted.db);
      const d1Cost = (duplicate: boolean) =>
        median(async (i) => {
          const tag = `${run}d${duplicate ? "d" : "n"}`;
          if (duplicate && i === 0) await d1Store.ingest(command(tag, 10_000, 0));
          counted.counts.batches = 0;
          counted.counts.queries = 0;
          await d1Store.ingest(command(tag, i, duplicate ? 0 : i + 1));
          return [counted.counts.batches, counted.counts.queries];
        });
      const [d1NewBatches, d1NewQueries] = await d1Cost(false);
      const [d1DupBatches, d1DupQueries] = await d1Cost(true);

      // A whole request through the Worker with Upstash, background work included.
      const request = async (body: LeadSubmission) => {
        bridge.resetStats();
        const res = await upstashWorker.mf.dispatchFetch(new URL("/v1/leads", upstashWorker.url), {
          method: "POST",
          headers: { "content-type": "application/json", "cf-connecting-ip": "127.0.0.1" },
          body: JSON.stringify(body),
        });
        await res.arrayBuffer();
        // The re-score after a duplicate's answer runs in waitUntil: let it finish.
        await new Promise((resolve) => setTimeout(resolve, 300));
        return bridge.stats();
      };
      await request(benchSubmission(`${run}r`, 0, 0));
      const newRequest = await request(benchSubmission(`${run}r`, 1, 1));
      const dupRequest = await request(benchSubmission(`${run}r`, 2, 1));

      const d1Load = await throughput(d1Worker.url, `${run}ld`);
      const upstashLoad = await throughput(upstashWorker.url, `${run}lu`);
      if (d1Load.failures || upstashLoad.failures)
        console.warn(
          `store: ${d1Load.failures} (D1) and ${upstashLoad.failures} (Upstash) requests did not answer 201`,
        );

      return {
        upstash_round_trips_new_lead: upNewTrips!,
        upstash_commands_new_lead: upNewCommands!,
        upstash_redis_calls_new_lead: upNewCalls!,
        upstash_round_trips_duplicate: upDupTrips!,
        upstash_commands_duplicate: upDupCommands!,
        upstash_redis_calls_duplicate: upDupCalls!,
        upstash_round_trips_new_lead_request: newRequest.requests,
        upstash_commands_new_lead_request: newRequest.commands,
        upstash_round_trips_duplicate_request: dupRequest.requests,
        upstash_commands_duplicate_request: dupRequest.commands,
        d1_batches_new_lead: d1NewBatches!,
        d1_queries_new_lead: d1NewQueries!,
        d1_batches_duplicate: d1DupBatches!,
        d1_queries_duplicate: d1DupQueries!,
        ingest_rps_d1: Math.round(d1Load.rps),
        ingest_rps_upstash: Math.round(upstashLoad.rps),
      };
    } finally {
      await Promise.all(miniflares.map((mf) => mf.dispose()));
      await bridge.close();
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
