/**
 * A webhook receiver in a process of its own, for load benchmarks: its work (verifying every
 * signature) must not share the load generator's event loop, or it would show up as the edge's
 * latency. Prints its URL on the first line of stdout; stops when its parent closes stdin.
 */
import { startReceiver } from "../../demo-site/dev/receiver.ts";

const receiver = await startReceiver({ secret: process.argv[2] ?? "" });
process.stdout.write(`${receiver.url}\n`);
process.stdin.resume();
process.stdin.on("end", async () => {
  await receiver.close();
  process.exit(0);
});
