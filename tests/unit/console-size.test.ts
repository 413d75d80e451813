/**
 * What the console's first load fetches stays within what it was before the console moved into the
 * Worker (36,792 B gzip -9 at the start of issue 15): its page and the script, styles and icon the page
 * names. Screens that edit the config (and zod, which checks it) load when they are opened. Built
 * fresh into a temporary directory; `npm run bench -- --only console` reports the same figure.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../../demo-site/dev/stack.ts";

const BUDGET = 36 * 1024;
const gzipBytes = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "leadcap-console-"));
  // As `npm run build` makes it: under vitest NODE_ENV is "test", and Vite would keep development
  // code in (Preact's debug hooks among it).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({
      configFile: join(REPO, "edge/console/vite.config.ts"),
      logLevel: "warn",
      build: { outDir: dir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the console's first load", () => {
  it(`is at most ${BUDGET} B gzip: the page and what it names, the config editor left for later`, async () => {
    const page = await readFile(join(dir, "index.html"));
    const named = [...page.toString().matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1] as string);
    expect(named.some((file) => file.endsWith(".js"))).toBe(true);
    const files = await Promise.all(named.map((file) => readFile(join(dir, file))));
    const total = [page, ...files].reduce((sum, bytes) => sum + gzipBytes(bytes), 0);
    console.log(`[size] console first load ${total} B gzip -9 (budget ${BUDGET})`);
    expect(total).toBeLessThanOrEqual(BUDGET);
  });
});
