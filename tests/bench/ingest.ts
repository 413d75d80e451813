/**
 * The ingest part of `npm run bench`: the full POST /v1/leads path on workerd itself (the built
 * Worker bundle with a real local D1, through Miniflare's direct socket: no wrangler dev proxy),
 * next to a bare Hono "hello" Worker on the same workerd in the same run, and the CPU the Worker's
 * own code spends per lead, measured in-process. For reference, a Hono Worker whose only work is one
 * `SELECT 1` on local D1: the throughput any Worker that stores before answering can reach here
 * (local D1 runs inside the same workerd, so its query costs the Worker's own thread).
 *
 * Loopback only, bounded in time. Requests carry CF-Connecting-IP 127.0.0.1 (loopback clients are
 * not rate limited, like local runs).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { register } from "node:module";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import * as esbuild from "esbuild";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { Pool } from "undici";
import { REPO } from "../../demo-site/dev/stack.ts";
import { devSites } from "../../shared/sites/dev.ts";
import {
  applyMigrations,
  benchSubmission,
  bundleWorker,
  type Figures,
  type Part,
  receiverProcess,
} from "./part.ts";

const COMPATIBILITY_DATE = "2026-10-01";
const LOAD_MS = 8_000;
const CONCURRENCY = 32;

/** A Hono Worker answering POST /v1/leads with `handler` (bare: "hello"; the D1 reference: one query). */
async function buildHono(outdir: string, name: string, handler: string): Promise<string> {
  const entry = join(outdir, `${name}.ts`);
  await writeFile(
    entry,
    `import { Hono } from "hono";\nexport default new Hono().post("/v1/leads", ${handler});\n`,
  );
  const outfile = join(outdir, `${name}.js`);
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    outfile,
    nodePaths: [join(REPO, "node_modules")],
    logLevel: "silent",
  });
  return outfile;
}

interface LoadResult {
  rps: number;
  latencies: number[];
  failures: number;
}

/**
 * Closed-loop load (each worker sends its next request when the last one answered), or, with
 * `ratePerSecond`, an open-loop pace at that rate: latency at a given load, not at saturation.
 */
async function load(
  url: URL,
  body: (i: number) => string,
  opts: { ms: number; concurrency: number; expect: number; ratePerSecond?: number },
): Promise<LoadResult> {
  const pool = new Pool(url.origin, { connections: opts.concurrency, pipelining: 1 });
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + opts.ms;
  const one = async () => {
    const i = next++;
    const t0 = performance.now();
    const res = await pool.request({
      path: "/v1/leads",
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "127.0.0.1" },
      body: body(i),
    });
    await res.body.arrayBuffer();
    latencies.push(performance.now() - t0);
    if (res.statusCode !== opts.expect) failures++;
  };
  if (opts.ratePerSecond) {
    const interval = 1000 / opts.ratePerSecond;
    const inflight: Promise<void>[] = [];
    for (let k = 0; performance.now() < deadline; k++) {
      const due = started + k * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inflight.push(one());
    }
    await Promise.all(inflight);
  } else {
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (performance.now() < deadline) await one();
      }),
    );
  }
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, latencies, failures };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
const round = (n: number, digits = 2) => Number(n.toFixed(digits));

/** CPU of the Worker's own code per lead: the app in this process, D1 replaced at its port boundary. */
async function cpuPerLead(run: string): Promise<number> {
  // Imported by a computed name: the edge is type-checked with Workers types (edge/tsconfig.json),
  // not with this Node/DOM project's.
  // The Worker's runtime module, at its boundary: ingest only hands promises to waitUntil.
  const hooks = `export async function resolve(specifier, context, next) {
    if (specifier === "cloudflare:workers") {
      return { url: "data:text/javascript,export const waitUntil = () => {}; export const env = {};", shortCircuit: true };
    }
    return next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
  const appModule = "../../edge/src/app.ts";
  const { app } = (await import(appModule)) as {
    app: { fetch(request: Request, env: unknown, ctx: unknown): Promise<Response> };
  };
  // The store's work happens in D1 (another process); what the Worker spends is preparing it.
  const answer = JSON.stringify({
    answer: JSON.stringify({
      leadId: "lead_x",
      duplicate: false,
      score: 50,
      temperature: "warm",
      stage: "IQL",
    }),
  });
  const statement = {
    bind: () => statement,
    run: async () => ({}),
    first: async () => null,
    all: async () => ({ results: [] }),
  };
  const db = {
    prepare: () => statement,
    batch: async (s: unknown[]) =>
      s.map((_, i) => ({ results: i === s.length - 1 ? [JSON.parse(answer)] : [], meta: { changes: 1 } })),
  };
  const env = {
    DB: db,
    DELIVERY: { sendBatch: async () => {} },
    LEADCAP_SECRET: "bench-secret",
    LEADCAP_SITES: devSites(),
    DEMO_ORIGINS: "https://www.example.com",
    DEMO_WEBHOOK_URL: "http://127.0.0.1:9/hook",
    DEMO_WEBHOOK_SECRET: "whsec_YmVuY2gtc2VjcmV0LWJlbmNoLXNlY3JldA==",
  };
  const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };
  const request = (i: number) =>
    new Request("https://edge.bench/v1/leads", {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": "127.0.0.1" },
      body: JSON.stringify(benchSubmission(`cpu${run}`, i)),
    });
  for (let i = 0; i < 300; i++) await app.fetch(request(i), env, ctx as never); // warm up the JIT
  const n = 2000;
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const res = await app.fetch(request(1000 + i), env, ctx as never);
    if (res.status !== 201) throw new Error(`in-process ingest answered ${res.status}: ${await res.text()}`);
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / n;
}

export const ingestPart: Part = {
  name: "ingest",
  describe: `POST /v1/leads on workerd (built bundle + local D1) vs a bare Hono Worker, ${CONCURRENCY} concurrent, ${LOAD_MS / 1000} s each, loopback`,
  async run(): Promise<Figures> {
    // Under the repo's (git-ignored) .wrangler: workerd refuses persistence paths outside its cwd.
    await mkdir(join(REPO, ".wrangler"), { recursive: true });
    const dir = await mkdtemp(join(REPO, ".wrangler", "bench-"));
    const run = Date.now().toString(36);
    let closeReceiver = async () => {};
    try {
      const [workerPath, barePath, oneQueryPath] = await Promise.all([
        bundleWorker(join(dir, "worker")),
        buildHono(dir, "bare", '(c) => c.text("hello")'),
        // The ceiling of any Worker that touches local D1 once per request, on this machine.
        buildHono(
          dir,
          "one-query",
          'async (c) => c.text(String(await c.env.DB.prepare("SELECT 1").first()))',
        ),
      ]);
      // A healthy destination, as in production: each lead writes its outbox row and its first
      // delivery attempt goes out at once, to a real receiver on loopback that answers 204.
      // In a process of its own: verifying signatures must not delay the load generator's clock.
      const receiver = await receiverProcess("whsec_YmVuY2gtc2VjcmV0LWJlbmNoLXNlY3JldA==");
      closeReceiver = () => receiver.close();
      const bindings = {
        LEADCAP_SECRET: "bench-secret",
        LEADCAP_SITES: devSites(),
        DEMO_ORIGINS: "https://www.example.com",
        DEMO_WEBHOOK_URL: `${receiver.url}/webhooks/bench`,
        DEMO_WEBHOOK_SECRET: "whsec_YmVuY2gtc2VjcmV0LWJlbmNoLXNlY3JldA==",
        ALLOW_PRIVATE_DESTINATIONS: "true",
      };
      // Miniflare 5 takes a new options shape; the v4 shape (one Worker, its bindings) converts.
      const leadcap = new Miniflare(
        convertV4MiniflareOptions({
          // The module's source, not its path: Miniflare resolves paths against the working directory.
          modules: [{ type: "ESModule", path: "index.js", contents: await readFile(workerPath, "utf8") }],
          compatibilityDate: COMPATIBILITY_DATE,
          d1Databases: ["DB"],
          d1Persist: join(dir, "d1"),
          queueProducers: { DELIVERY: "leadcap-delivery" },
          bindings,
        }),
      );
      // Miniflare's own socket: workerd serving HTTP itself (no wrangler dev Node proxy in between).
      const leadcapUrl = await leadcap.ready;
      await applyMigrations(leadcap);
      const bare = new Miniflare(
        convertV4MiniflareOptions({
          modules: true,
          scriptPath: barePath,
          compatibilityDate: COMPATIBILITY_DATE,
        }),
      );
      const bareUrl = await bare.ready;
      const oneQuery = new Miniflare(
        convertV4MiniflareOptions({
          modules: true,
          scriptPath: oneQueryPath,
          compatibilityDate: COMPATIBILITY_DATE,
          d1Databases: ["DB"],
          d1Persist: join(dir, "d1-one-query"),
        }),
      );
      const oneQueryUrl = await oneQuery.ready;
      try {
        const bodyOf = (i: number) => JSON.stringify(benchSubmission(run, i));
        await load(leadcapUrl, (i) => bodyOf(1_000_000 + i), { ms: 1500, concurrency: 8, expect: 201 }); // warm-up
        await load(bareUrl, () => "{}", { ms: 1000, concurrency: 8, expect: 200 });
        const bareResult = await load(bareUrl, () => "{}", {
          ms: LOAD_MS,
          concurrency: CONCURRENCY,
          expect: 200,
        });
        // The same open-loop measure for bare Hono: the tail this machine gives any Worker at half load.
        const bareHalf = await load(bareUrl, () => "{}", {
          ms: LOAD_MS / 2,
          concurrency: CONCURRENCY,
          expect: 200,
          ratePerSecond: Math.max(1, bareResult.rps / 2),
        });
        const oneQueryResult = await load(oneQueryUrl, () => "{}", {
          ms: LOAD_MS / 2,
          concurrency: CONCURRENCY,
          expect: 200,
        });
        const peak = await load(leadcapUrl, bodyOf, { ms: LOAD_MS, concurrency: CONCURRENCY, expect: 201 });
        // Latency at half of the peak rate: what a busy site sees, not a saturated one.
        const half = await load(leadcapUrl, (i) => bodyOf(2_000_000 + i), {
          ms: LOAD_MS / 2,
          concurrency: CONCURRENCY,
          expect: 201,
          ratePerSecond: Math.max(1, peak.rps / 2),
        });
        if (peak.failures || half.failures)
          console.warn(`ingest: ${peak.failures + half.failures} requests did not answer 201`);
        return {
          ingest_rps: Math.round(peak.rps),
          bare_hono_rps: Math.round(bareResult.rps),
          ingest_ratio_to_bare: round(peak.rps / bareResult.rps, 3),
          one_d1_query_rps: Math.round(oneQueryResult.rps),
          one_d1_query_ratio_to_bare: round(oneQueryResult.rps / bareResult.rps, 3),
          ingest_p50_ms: round(percentile(half.latencies, 50)),
          ingest_p99_ms: round(percentile(half.latencies, 99)),
          ingest_saturated_p99_ms: round(percentile(peak.latencies, 99)),
          bare_hono_p99_ms: round(percentile(bareHalf.latencies, 99)),
          ingest_cpu_ms_per_lead: round(await cpuPerLead(run), 3),
          ingest_failures: peak.failures + half.failures,
        };
      } finally {
        await Promise.all([leadcap.dispose(), bare.dispose(), oneQuery.dispose()]);
      }
    } finally {
      await closeReceiver();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
