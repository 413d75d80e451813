import { spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Miniflare } from "miniflare";
import { REPO, WRANGLER } from "../../demo-site/dev/stack.ts";
import type { LeadSubmission } from "../../shared/lead.ts";

/** Figures of one benchmark part: snake_case names with their unit, numbers only. */
export type Figures = Record<string, number>;

/** One part of `npm run bench`, selectable with `--only <name>`. */
export interface Part {
  name: string;
  describe: string;
  run: () => Promise<Figures>;
}

export const gzipBytes = (data: Buffer) => gzipSync(data, { level: 9 }).length;

/**
 * The Worker exactly as `wrangler deploy` would upload it (dry run into `outdir`); returns its path.
 * `upstash`: the build `npm run deploy:upstash` makes, with the Upstash store in it.
 */
export async function bundleWorker(outdir: string, { upstash = false } = {}): Promise<string> {
  const args = [
    "deploy",
    "--dry-run",
    "--outdir",
    outdir,
    ...(upstash ? ["--define", "LEADCAP_UPSTASH:true"] : []),
  ];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], {
      cwd: REPO,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err += chunk));
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`wrangler deploy --dry-run failed:\n${err}`)),
    );
  });
  return join(outdir, "index.js");
}

/** A webhook receiver in a child process (receiver-process.ts): its URL and how to stop it. */
export async function receiverProcess(secret: string): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, [join(REPO, "tests/bench/receiver-process.ts"), secret], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk;
      if (out.includes("\n")) resolve(out.split("\n")[0]!);
    });
    child.on("exit", (code) => reject(new Error(`receiver exited (${code})`)));
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        child.on("exit", () => resolve());
        child.stdin.end();
      }),
  };
}

/** The D1 migrations, applied to a Miniflare instance's DB (a bench or test Worker of its own). */
export async function applyMigrations(mf: Miniflare): Promise<void> {
  const db = await mf.getD1Database("DB");
  const dir = join(REPO, "edge/migrations");
  for (const file of (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort()) {
    const sql = (await readFile(join(dir, file), "utf8")).replace(/--.*$/gm, "");
    for (const statement of sql
      .split(";")
      .map((s) => s.trim())
      .filter(Boolean))
      await db.prepare(statement).run();
  }
}

/**
 * A demo-site contact submission for load: submission id from (run, i), email from (run, email),
 * so a caller makes duplicates by repeating `email`.
 */
export function benchSubmission(run: string, i: number, email: number | string = i): LeadSubmission {
  const touch = {
    utm_source: "bench",
    utm_medium: "cpc",
    utm_campaign: "load",
    landingPage: "https://www.example.com/",
    at: new Date().toISOString(),
  };
  return {
    site: "demo",
    form: "contact",
    submissionId: `bench_${run}_${i}`,
    fields: {
      email: `lead${email}.${run}@bench.example`,
      name: `Lead ${i}`,
      company: "Bench Inc",
      consent: true,
      website: "",
    },
    attribution: { firstTouch: touch, lastTouch: touch },
    engagement: { activeTimeMs: 30_000, maxScrollPct: 60, pageViews: 2, visits: 1 },
    page: { url: "https://www.example.com/", title: "bench" },
  };
}

/**
 * What the console's first load fetches from a built console folder: its page, what the page names
 * (script, styles, icon) and every module the script imports statically, transitively (a chunk the
 * bundler splits out of the entry is fetched at once all the same). Screens behind a dynamic import()
 * are not counted: they load when opened. Gzip -9 bytes, and the files counted.
 */
export async function consoleFirstLoad(dir: string): Promise<{ bytes: number; files: string[] }> {
  const page = await readFile(join(dir, "index.html"));
  const queue = [...page.toString().matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1] as string);
  const files: string[] = [];
  let bytes = gzipBytes(page);
  while (queue.length) {
    const file = queue.shift() as string;
    if (files.includes(file)) continue;
    files.push(file);
    const content = await readFile(join(dir, file));
    bytes += gzipBytes(content);
    if (file.endsWith(".js")) {
      const folder = file.slice(0, file.lastIndexOf("/") + 1);
      for (const [, name] of content.toString().matchAll(/(?:from|import)\s*"\.\/([\w.-]+\.js)"/g))
        queue.push(folder + name);
    }
  }
  return { bytes, files };
}
