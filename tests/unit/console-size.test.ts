/**
 * What the console's first load fetches stays within what it was before the console moved into the
 * Worker (36,792 B gzip -9 at the start of issue 15): its page and the script, styles and icon the page
 * names. Screens that edit the config (and zod, which checks it) load when they are opened. Built
 * fresh into a temporary directory; `npm run bench -- --only console` reports the same figure.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../../demo-site/dev/stack.ts";
import { consoleFirstLoad } from "../bench/part.ts";

const BUDGET = 36 * 1024;

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
  it(`is at most ${BUDGET} B gzip in one script: the page and what it loads at once, the config editor left for later`, async () => {
    const { bytes, files } = await consoleFirstLoad(dir);
    console.log(`[size] console first load ${bytes} B gzip -9 (budget ${BUDGET}): ${files.join(", ")}`);
    // One script: a chunk split out of the entry would be a second request before anything shows.
    expect(files.filter((file) => file.endsWith(".js"))).toHaveLength(1);
    expect(bytes).toBeLessThanOrEqual(BUDGET);
  });
});
