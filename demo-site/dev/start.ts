/**
 * `npm start`: the product on its embedded default, no account, no secret. Ctrl-C stops everything.
 */
import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { REPO, startStack } from "./stack.ts";

const devVars = join(REPO, ".dev.vars");
if (!existsSync(devVars)) {
  copyFileSync(join(REPO, ".dev.vars.example"), devVars);
  console.log("Created .dev.vars from .dev.vars.example (local development secrets).");
}

const port = (name: string, fallback: number) => Number.parseInt(process.env[name] ?? "", 10) || fallback;

console.log(
  "Starting Leadcap: widget and console builds, edge (wrangler dev + local D1 + queue), receiver, demo site…",
);
const stack = await startStack({
  edgePort: port("EDGE_PORT", 8787),
  demoPort: port("DEMO_PORT", 5173),
  receiverPort: port("RECEIVER_PORT", 8790),
  persistTo: join(REPO, ".wrangler/state"),
  watch: true,
  verbose: true,
});

console.log(`
  Leadcap is running.

  Demo landing page   ${stack.demoUrl}/            (try ${stack.demoUrl}/?utm_source=newsletter&utm_medium=email&utm_campaign=launch)
  Console             ${stack.edgeUrl}/console/   (served by the Worker; sign in with ${stack.adminToken})
  Edge API            ${stack.edgeUrl}/v1/health
  Widget script       ${stack.edgeUrl}/leadcap.js
  Admin API           curl -H "Authorization: Bearer ${stack.adminToken}" ${stack.edgeUrl}/v1/admin/leads
  Webhook receiver    ${stack.receiver.url}/deliveries   (verified deliveries are logged below)

  Ctrl-C stops everything.
`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping…");
    await stack.stop();
    process.exit(0);
  });
}
