/**
 * The delivery part of `npm run bench`, through wrangler dev (workerd + local D1 + the local queue)
 * to a webhook receiver on loopback that verifies every signature:
 * - speed to lead: from the start of the widget's POST /v1/leads to the signed hot-lead webhook
 *   arriving at the receiver, p50 and p99, over 100 hot leads posted two at a time;
 * - deliveries per second: 1,000 deliveries held by a paused destination, released at once
 *   (resume), timed until the last is acknowledged. workerd runs the Worker on one thread, so this
 *   is the rate of one core.
 */
import { type Receiver, startReceiver } from "../../demo-site/dev/receiver.ts";
import { localSecrets, type Stack, startStack } from "../../demo-site/dev/stack.ts";
import type { LeadSubmission } from "../../shared/lead.ts";
import { benchSubmission, type Figures, type Part } from "./part.ts";

const SPEED_LEADS = 100;
const THROUGHPUT_LEADS = 1000;

function quantile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

async function post(stack: Stack, body: LeadSubmission): Promise<string> {
  const res = await fetch(`${stack.edgeUrl}/v1/leads`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await res.json()) as { leadId?: string; temperature?: string };
  if (res.status !== 201 || !answer.leadId) throw new Error(`POST /v1/leads answered ${res.status}`);
  if (answer.temperature !== "hot") throw new Error(`expected a hot lead, got ${answer.temperature}`);
  return answer.leadId;
}

/** Resolves when the receiver has acknowledged a delivery whose body names `leadId`. */
async function arrival(
  receiver: Receiver,
  leadId: string,
  from: number,
  timeoutMs = 10_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let seen = from;
  for (;;) {
    for (; seen < receiver.deliveries.length; seen++) {
      const d = receiver.deliveries[seen]!;
      if (d.verified && d.answered === 204 && d.body.includes(leadId)) return Date.parse(d.receivedAt);
    }
    if (Date.now() > deadline) throw new Error(`no webhook for ${leadId} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function admin(stack: Stack, method: string, path: string): Promise<unknown> {
  const res = await fetch(`${stack.edgeUrl}/v1/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}` },
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
  return res.json();
}

async function speedToLead(stack: Stack, receiver: Receiver, run: string): Promise<number[]> {
  // Warm-up: module loading, D1 file creation, the first queue batch.
  for (let i = 0; i < 5; i++) {
    const from = receiver.deliveries.length;
    await arrival(receiver, await post(stack, benchSubmission(`d${run}`, -1 - i)), from);
  }
  const samples: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 2 }, async () => {
      while (next < SPEED_LEADS) {
        const i = next++;
        const from = receiver.deliveries.length;
        const t0 = Date.now();
        const leadId = await post(stack, benchSubmission(`d${run}`, i));
        samples.push((await arrival(receiver, leadId, from)) - t0);
      }
    }),
  );
  return samples;
}

async function heldCount(stack: Stack): Promise<number> {
  let held = 0;
  let cursor: string | null = null;
  do {
    const page = (await admin(
      stack,
      "GET",
      `/deliveries?site=demo&status=pending&limit=500${cursor ? `&cursor=${cursor}` : ""}`,
    )) as { deliveries: { held: boolean }[]; nextCursor: string | null };
    held += page.deliveries.filter((d) => d.held).length;
    cursor = page.nextCursor;
  } while (cursor);
  return held;
}

async function throughput(stack: Stack, receiver: Receiver, run: string): Promise<number> {
  await admin(stack, "POST", "/destinations/receiver/pause?site=demo");
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < THROUGHPUT_LEADS) await post(stack, benchSubmission(`d${run}`, 100_000 + next++));
    }),
  );
  // Every row is written; wait until the queue has handed each to the paused destination (held).
  const deadline = Date.now() + 60_000;
  while ((await heldCount(stack)) < THROUGHPUT_LEADS && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 500));
  const before = receiver.deliveries.length;
  const t0 = Date.now();
  await admin(stack, "POST", "/destinations/receiver/resume?site=demo");
  const end = Date.now() + 120_000;
  while (receiver.deliveries.length - before < THROUGHPUT_LEADS && Date.now() < end)
    await new Promise((resolve) => setTimeout(resolve, 20));
  const delivered = receiver.deliveries.slice(before).filter((d) => d.verified && d.answered === 204).length;
  const last = Math.max(...receiver.deliveries.slice(before).map((d) => Date.parse(d.receivedAt)));
  return delivered / ((last - t0) / 1000);
}

export const deliveryPart: Part = {
  name: "delivery",
  describe: `speed to lead over ${SPEED_LEADS} hot leads, and ${THROUGHPUT_LEADS.toLocaleString("en")} deliveries released at once (wrangler dev, loopback)`,
  async run(): Promise<Figures> {
    const receiver = await startReceiver({ secret: localSecrets().DEMO_WEBHOOK_SECRET ?? "" });
    const stack = await startStack({
      vars: { DEMO_WEBHOOK_URL: `${receiver.url}/webhooks/bench`, ALLOW_PRIVATE_DESTINATIONS: "true" },
    });
    try {
      const run = Date.now().toString(36);
      const samples = await speedToLead(stack, receiver, run);
      const perS = await throughput(stack, receiver, run);
      return {
        speed_to_lead_p50_ms: Math.round(quantile(samples, 0.5)),
        speed_to_lead_p99_ms: Math.round(quantile(samples, 0.99)),
        deliveries_per_s: Math.round(perS),
      };
    } finally {
      await stack.stop();
      await receiver.close();
    }
  },
};
