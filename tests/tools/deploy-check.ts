/**
 * Run by `npm run deploy` before anything is deployed: a Worker whose secrets point at Upstash must be
 * built with the Upstash store (`npm run deploy:upstash`). The default build carries D1 only and would
 * answer every submission with 503, so this refuses to make it for such a Worker.
 *
 *   node tests/tools/deploy-check.ts
 *
 * Reads the deployed Worker's secret names with `wrangler secret list`; a Worker not deployed yet has
 * none.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

/** Why the default (D1-only) build must not be deployed, given `wrangler secret list --format json`. */
export function refusal(secretList: string): string | null {
  let names: string[];
  try {
    names = (JSON.parse(secretList) as { name: string }[]).map((s) => s.name);
  } catch {
    return null; // No list (a Worker not deployed yet): no secrets to conflict with.
  }
  return names.includes("UPSTASH_REDIS_REST_URL")
    ? "This Worker has UPSTASH_REDIS_REST_URL set, and `npm run deploy` builds it without the Upstash store (it would answer every lead with 503). Deploy with `npm run deploy:upstash`, or delete the Upstash secrets (`wrangler secret delete UPSTASH_REDIS_REST_URL`) to use D1."
    : null;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const listed = spawnSync(
    process.execPath,
    [join(REPO, "node_modules/wrangler/bin/wrangler.js"), "secret", "list", "--format", "json"],
    { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  const problem = refusal(listed.stdout ?? "");
  if (problem) {
    console.error(`[deploy] ${problem}`);
    process.exit(1);
  }
}
