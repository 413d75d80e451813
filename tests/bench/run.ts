/**
 * `npm run bench`: the one entry point for benchmarks. Prints a table and writes every figure to
 * bench-results.json (git-ignored) as one flat `name: number` object, names in snake_case with their
 * unit, merged into what earlier runs wrote so `--only` keeps the other figures.
 *
 *   npm run bench                     everything
 *   npm run bench -- --only widget    one part (widget, worker, ingest); repeat --only for several
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, startStack, WRANGLER } from "../../demo-site/dev/stack.ts";
import type { LeadSubmission } from "../../shared/lead.ts";

import { type Figures, gzipBytes, type Part } from "./part.ts";
import { widgetPart } from "./widget.ts";

const parts: Part[] = [
  widgetPart,
  {
    name: "worker",
    describe: "the Worker bundle wrangler would deploy (dry run)",
    async run() {
      const outdir = await mkdtemp(join(tmpdir(), "leadcap-bundle-"));
      try {
        await new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, [WRANGLER, "deploy", "--dry-run", "--outdir", outdir], {
            cwd: REPO,
            env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
            stdio: ["ignore", "ignore", "pipe"],
          });
          let err = "";
          child.stderr.on("data", (c: Buffer) => (err += c));
          child.on("exit", (code) =>
            code === 0 ? resolve() : reject(new Error(`wrangler deploy --dry-run failed:\n${err}`)),
          );
        });
        const bundle = await readFile(join(outdir, "index.js"));
        return { worker_bundle_bytes: bundle.length, worker_bundle_gzip_bytes: gzipBytes(bundle) };
      } finally {
        await rm(outdir, { recursive: true, force: true });
      }
    },
  },
  {
    name: "ingest",
    describe:
      "POST /v1/leads through wrangler dev + local D1, loopback, 16 concurrent, ≤ 1,500 leads or 20 s",
    async run() {
      const stack = await startStack();
      try {
        return await loadIngest(stack.edgeUrl, { total: 1500, concurrency: 16, maxMs: 20_000 });
      } finally {
        await stack.stop();
      }
    },
  },
];

function submission(i: number, run: string): LeadSubmission {
  const touch = {
    utm_source: "bench",
    utm_medium: "cpc",
    utm_campaign: "load",
    landingPage: "http://127.0.0.1/",
    at: new Date().toISOString(),
  };
  return {
    site: "demo",
    form: "contact",
    submissionId: `bench_${run}_${i}`,
    fields: {
      email: `lead${i}.${run}@bench.example`,
      name: `Lead ${i}`,
      company: "Bench Inc",
      consent: true,
      website: "",
    },
    attribution: { firstTouch: touch, lastTouch: touch },
    engagement: { activeTimeMs: 30_000, maxScrollPct: 60, pageViews: 2, visits: 1 },
    page: { url: "http://127.0.0.1/", title: "bench" },
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function loadIngest(
  edgeUrl: string,
  opts: { total: number; concurrency: number; maxMs: number },
): Promise<Figures> {
  const run = Date.now().toString(36);
  // Warm-up: the first requests pay for module loading and D1 file creation.
  for (let i = 0; i < 20; i++) await post(edgeUrl, submission(-1 - i, run));
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const deadline = started + opts.maxMs;
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (next < opts.total && performance.now() < deadline) {
        const i = next++;
        const t0 = performance.now();
        const status = await post(edgeUrl, submission(i, run));
        latencies.push(performance.now() - t0);
        if (status !== 201) failures++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  if (failures) console.warn(`ingest: ${failures} requests did not answer 201`);
  return {
    ingest_rps: Math.round(latencies.length / elapsed),
    ingest_p50_ms: Number(percentile(latencies, 50).toFixed(2)),
    ingest_p99_ms: Number(percentile(latencies, 99).toFixed(2)),
    ingest_requests: latencies.length,
    ingest_failures: failures,
  };
}

async function post(edgeUrl: string, body: LeadSubmission): Promise<number> {
  const res = await fetch(`${edgeUrl}/v1/leads`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

async function main() {
  const args = process.argv.slice(2);
  const only = args.flatMap((arg, i) =>
    arg === "--only" ? [args[i + 1] ?? ""] : arg.startsWith("--only=") ? [arg.slice(7)] : [],
  );
  const unknown = only.filter((name) => !parts.some((p) => p.name === name));
  if (unknown.length) {
    console.error(
      `unknown part(s): ${unknown.join(", ")}; parts are: ${parts.map((p) => p.name).join(", ")}`,
    );
    process.exit(2);
  }
  const selected = only.length ? parts.filter((p) => only.includes(p.name)) : parts;
  const figures: Figures = {};
  for (const part of selected) {
    process.stdout.write(`${part.name}: ${part.describe}… `);
    const t0 = performance.now();
    Object.assign(figures, await part.run());
    console.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  console.log(`\n${"figure".padEnd(width)}  value`);
  for (const [name, value] of Object.entries(figures))
    console.log(`${name.padEnd(width)}  ${value.toLocaleString("en-US")}`);

  const file = join(REPO, "bench-results.json");
  const previous: Figures = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Figures) : {};
  writeFileSync(file, `${JSON.stringify({ ...previous, ...figures }, null, 2)}\n`);
  console.log(`\nwritten to bench-results.json`);
}

await main();
