/**
 * `npm start` says one line per D1 migration step: read from the real `wrangler d1 migrations apply`
 * on a throwaway local database, not from a recorded transcript.
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationSteps, REPO, WRANGLER } from "../../demo-site/dev/stack.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "leadcap-migrations-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function migrate(): Promise<{ lines: string[]; raw: string }> {
  const lines: string[] = [];
  const steps = migrationSteps((line) => lines.push(line));
  const child = spawn(
    process.execPath,
    [WRANGLER, "d1", "migrations", "apply", "DB", "--local", "--persist-to", dir],
    { cwd: REPO, env: { ...process.env, CI: "true", NO_COLOR: "1", WRANGLER_SEND_METRICS: "false" } },
  );
  child.stdout.on("data", (chunk: Buffer) => steps.read(chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => steps.read(chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  expect(code, steps.output()).toBe(0);
  steps.done();
  return { lines, raw: steps.output() };
}

describe("npm start's migration log", () => {
  it("names each migration once, in order, where wrangler repeats its whole table after every step", async () => {
    const files = readdirSync(join(REPO, "edge/migrations")).filter((f) => f.endsWith(".sql"));
    const { lines, raw } = await migrate();
    expect(lines).toHaveLength(files.length);
    expect(lines.map((l) => l.match(/^applied (\S+) \(\d+ statements\)$/)?.[1])).toEqual(files.sort());
    // What it replaces: the table of every migration, printed again after each one.
    expect(raw.split(files[0] as string).length - 1).toBeGreaterThan(files.length);
  }, 60_000);

  it("says the database is up to date when there is nothing to apply", async () => {
    const { lines } = await migrate();
    expect(lines).toEqual(["migrations: up to date"]);
  }, 60_000);
});
