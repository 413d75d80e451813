/**
 * `npm run bench`: the one entry point for benchmarks. Prints a table and writes every figure to
 * bench-results.json (git-ignored) as one flat `name: number` object, names in snake_case with their
 * unit, merged into what earlier runs wrote so `--only` keeps the other figures.
 *
 *   npm run bench                     everything
 *   npm run bench -- --only widget    one part (widget, worker, ingest); repeat --only for several
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO } from "../../demo-site/dev/stack.ts";
import { deliveryPart } from "./delivery.ts";
import { ingestPart } from "./ingest.ts";
import { bundleWorker, consoleFirstLoad, type Figures, gzipBytes, type Part } from "./part.ts";
import { storePart } from "./store.ts";
import { widgetPart } from "./widget.ts";

const parts: Part[] = [
  widgetPart,
  {
    name: "worker",
    describe: "the Worker bundle wrangler would deploy (dry run): the default (D1) build and the Upstash one",
    async run() {
      const outdir = await mkdtemp(join(tmpdir(), "leadcap-bundle-"));
      try {
        const [bundle, upstash] = await Promise.all([
          readFile(await bundleWorker(join(outdir, "d1"))),
          readFile(await bundleWorker(join(outdir, "upstash"), { upstash: true })),
        ]);
        return {
          worker_bundle_bytes: bundle.length,
          worker_bundle_gzip_bytes: gzipBytes(bundle),
          worker_bundle_upstash_gzip_bytes: gzipBytes(upstash),
        };
      } finally {
        await rm(outdir, { recursive: true, force: true });
      }
    },
  },
  {
    name: "console",
    describe:
      "what the console's first load fetches (npm run build first): its page, script, styles and icon",
    async run() {
      const { bytes } = await consoleFirstLoad(join(REPO, "widget/dist/console"));
      return { console_first_load_gzip_bytes: bytes };
    },
  },
  ingestPart,
  storePart,
  deliveryPart,
];

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
