/**
 * Delivery: the queue consumer and the outbox sweep. The outbox row in D1 is the truth; queue
 * messages only say "look at row X now". A lost message, a restart or a crash loses nothing: the
 * sweep re-enqueues every due row whose lease ran out.
 */
import { sendWebhook } from "./destinations/webhook.ts";
import type { Env } from "./env.ts";
import { findDestination } from "./routing.ts";
import { getSite } from "./sites.ts";
import type { DeliveryStore } from "./stores/delivery-port.ts";
import { deliveryStoreFor } from "./stores/index.ts";

export interface DeliveryMessage {
  outboxId: string;
}

/** Seconds to wait after the 1st, 2nd, … failed attempt; after the last one the row is dead. */
export const DEFAULT_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400];
/** Cloudflare Queues cannot delay a retry longer than this; longer waits are left to the sweep. */
const MAX_QUEUE_DELAY_S = 12 * 3600;
/** Extra time a message is given to arrive before the sweep assumes it was lost. */
const LEASE_GRACE_MS = 2 * 60_000;

export function retrySchedule(env: Env): number[] {
  const parsed = (env.RETRY_SCHEDULE ?? "")
    .split(",")
    .map((s) => Number.parseFloat(s))
    .filter((n) => Number.isFinite(n) && n >= 0);
  return parsed.length ? parsed : DEFAULT_RETRY_SCHEDULE;
}

export type DeliverOutcome = "delivered" | "retry" | "dead" | "skipped";

/** Makes one attempt at one outbox row. Returns what happened and, for a retry, the delay in seconds. */
export async function deliverOne(
  store: DeliveryStore,
  env: Env,
  outboxId: string,
  now = Date.now(),
): Promise<{ outcome: DeliverOutcome; delay?: number }> {
  const row = await store.getDelivery(outboxId);
  if (row?.status !== "pending") return { outcome: "skipped" };
  const site = getSite(row.site, env);
  const destination = site && findDestination(site, row.destination, env);
  const at = new Date(now).toISOString();
  const result = destination
    ? await sendWebhook(destination, { id: row.id, body: row.payload }, now)
    : {
        ok: false,
        status: null,
        error: `destination ${row.destination} is not configured`,
        retryAfter: null,
      };

  if (result.ok) {
    await store.recordAttempt(row.id, {
      ok: true,
      status: result.status,
      error: null,
      at,
      nextAttemptAt: null,
      leasedUntil: null,
    });
    return { outcome: "delivered" };
  }
  const schedule = retrySchedule(env);
  const planned = schedule[row.attempts];
  if (planned === undefined) {
    await store.recordAttempt(row.id, {
      ok: false,
      status: result.status,
      error: result.error,
      at,
      nextAttemptAt: null,
      leasedUntil: null,
    });
    console.warn(`[leadcap] delivery ${row.id} dead after ${row.attempts + 1} attempts: ${result.error}`);
    return { outcome: "dead" };
  }
  // The receiver's Retry-After wins when it asks for longer than our schedule.
  const delay = Math.max(planned, result.retryAfter ?? 0);
  const next = now + delay * 1000;
  const viaQueue = delay <= MAX_QUEUE_DELAY_S;
  await store.recordAttempt(row.id, {
    ok: false,
    status: result.status,
    error: result.error,
    at,
    nextAttemptAt: new Date(next).toISOString(),
    leasedUntil: viaQueue ? new Date(next + LEASE_GRACE_MS).toISOString() : null,
  });
  return { outcome: "retry", ...(viaQueue ? { delay } : {}) };
}

export async function handleQueue(batch: MessageBatch<DeliveryMessage>, env: Env): Promise<void> {
  const store = deliveryStoreFor(env);
  // One message per row, acked or retried on its own: a failing destination never re-sends others.
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        const { outcome, delay } = await deliverOne(store, env, message.body.outboxId);
        if (outcome === "retry" && delay !== undefined) message.retry({ delaySeconds: Math.ceil(delay) });
        else message.ack();
      } catch (error) {
        // The store itself failed: let the queue try again soon; the sweep is the backstop.
        console.error("[leadcap] delivery attempt failed", error);
        message.retry({ delaySeconds: 10 });
      }
    }),
  );
}

/** The cron's work: re-enqueue due outbox rows whose queue message never arrived (or was dropped). */
export async function sweepOutbox(env: Env, now = Date.now(), limit = 500): Promise<number> {
  const store = deliveryStoreFor(env);
  const ids = await store.claimDue(
    new Date(now).toISOString(),
    new Date(now + LEASE_GRACE_MS).toISOString(),
    limit,
  );
  for (let i = 0; i < ids.length; i += 100) {
    await env.DELIVERY.sendBatch(ids.slice(i, i + 100).map((outboxId) => ({ body: { outboxId } })));
  }
  return ids.length;
}

export async function enqueue(env: Env, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  try {
    await env.DELIVERY.sendBatch(ids.map((outboxId) => ({ body: { outboxId } })));
  } catch (error) {
    // Not fatal: the rows are in the outbox and the sweep will enqueue them when their lease runs out.
    console.error("[leadcap] enqueue failed; the outbox sweep will retry", error);
  }
}
