/**
 * Delivery: the queue consumer and the outbox sweep. The outbox row in D1 is the truth; queue
 * messages only say "look at row X now". A lost message, a restart or a crash loses nothing: the
 * sweep re-enqueues every due row whose lease ran out.
 *
 * Each attempt: the row's destination is looked up (a paused one holds the row until resumed), the
 * adapter sends (destinations/), and the outcome is written in one batch — the row (delivered, retry
 * at a time, dead), the attempt log, and the destination's health (a 410, or days of failures,
 * pause it with the reason).
 */
import { waitUntil } from "cloudflare:workers";
import type { Lead, LeadEvent } from "../../shared/lead.ts";
import { type SendContext, type SendResult, send } from "./destinations/index.ts";
import type { Env } from "./env.ts";
import { findDestination } from "./routing.ts";
import { opened } from "./secrets.ts";
import { getSite } from "./sites.ts";
import { deliveryStoreFor } from "./stores/index.ts";
import type { AttemptContext, AttemptKind, DeliveryAttempts } from "./stores/ports/delivery.ts";

export interface DeliveryMessage {
  outboxId: string;
}

/** Seconds to wait after the 1st, 2nd, … failed attempt; after the last one the row is dead. */
export const DEFAULT_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400];
/** Cloudflare Queues cannot delay a retry longer than this; longer waits are left to the sweep. */
const MAX_QUEUE_DELAY_S = 12 * 3600;
/** Extra time a message is given to arrive before the sweep assumes it was lost. */
export const LEASE_GRACE_MS = 2 * 60_000;

/** LEASE_GRACE_MS, or DELIVERY_LEASE_SECONDS (tests compress it, as they do RETRY_SCHEDULE). */
export function leaseGraceMs(env: Env): number {
  const value = Number.parseFloat(String(env.DELIVERY_LEASE_SECONDS ?? ""));
  return Number.isFinite(value) && value > 0 ? value * 1000 : LEASE_GRACE_MS;
}
/** ±10 % on every delay, so a receiver's outage does not end in a thundering herd. */
const JITTER = 0.1;
/** A destination failing without one success for this long is paused with the reason. */
const DEFAULT_PAUSE_AFTER_HOURS = 72;

export function retrySchedule(env: Env): number[] {
  const parsed = (env.RETRY_SCHEDULE ?? "")
    .split(",")
    .map((s) => Number.parseFloat(s))
    .filter((n) => Number.isFinite(n) && n >= 0);
  return parsed.length ? parsed : DEFAULT_RETRY_SCHEDULE;
}

/**
 * Outgoing requests go only to https: public hosts, unless ALLOW_PRIVATE_DESTINATIONS=true
 * (development and tests). Until that variable is set everywhere locally, plain http to
 * 127.0.0.1/localhost stays allowed outside production (Workers cannot reach loopback on Cloudflare).
 */
export function sendContext(env: Env, now: number): SendContext {
  return {
    now,
    allowPrivate: env.ALLOW_PRIVATE_DESTINATIONS === "true",
    allowLoopback: env.ENVIRONMENT !== "production" && env.ALLOW_PRIVATE_DESTINATIONS !== "false",
  };
}

export type DeliverOutcome = AttemptKind | "skipped";

function leadOf(payload: string): { type: string; timestamp: string; lead: Lead } {
  const event = JSON.parse(payload) as LeadEvent;
  return { type: event.type, timestamp: event.timestamp, lead: event.data };
}

/** Makes one attempt at one outbox row. Returns what happened and, for a retry, the delay in seconds. */
export async function deliverOne(
  store: DeliveryAttempts,
  env: Env,
  outboxId: string,
  now = Date.now(),
  known?: AttemptContext,
): Promise<{ outcome: DeliverOutcome; delay?: number; result?: SendResult }> {
  const found = known ?? (await store.getAttempt(outboxId));
  if (found?.row.status !== "pending") return { outcome: "skipped" };
  const { row, state } = found;
  // A message early for its row (a duplicate, or a queue that ignored the delay): not before it is
  // due. Held rows (far future) are left to resume; so are waits the queue cannot carry (the sweep).
  const wait = (Date.parse(row.nextAttemptAt) - now) / 1000;
  if (wait > 1) {
    return wait <= MAX_QUEUE_DELAY_S ? { outcome: "retry", delay: wait } : { outcome: "skipped" };
  }
  const at = new Date(now).toISOString();
  const site = getSite(row.site, env);
  const configured = site && findDestination(site, row.destination, env);
  // Its secrets are opened here, where it is called, and nowhere else.
  let unopened: string | undefined;
  const destination =
    configured &&
    (await opened(configured, row.site, env).catch((error: Error) => {
      unopened = `destination ${row.destination}: ${error.message}`;
      return undefined;
    }));

  if (configured?.paused || state.paused) {
    // Kept, not attempted: resuming the destination releases every held row.
    await store.recordAttempt(
      row,
      {
        kind: "held",
        status: null,
        error: null,
        at,
        latencyMs: 0,
        excerpt: null,
        nextAttemptAt: null,
        leasedUntil: null,
      },
      { ok: false, at },
    );
    return { outcome: "held" };
  }

  const started = performance.now();
  const result: SendResult = destination
    ? await send(
        destination,
        { id: row.id, ...leadOf(row.payload), body: row.payload },
        sendContext(env, now),
      )
    : {
        ok: false,
        status: null,
        error: unopened ?? `destination ${row.destination} is not configured`,
        retryAfter: null,
        gone: false,
        excerpt: null,
      };
  const latencyMs = performance.now() - started;
  const base = { status: result.status, error: result.error, at, latencyMs, excerpt: result.excerpt };

  if (result.ok) {
    await store.recordAttempt(
      row,
      { ...base, kind: "delivered", nextAttemptAt: null, leasedUntil: null },
      { ok: true, at },
    );
    return { outcome: "delivered", result };
  }
  if (result.gone) {
    const reason = `${at}: the receiver answered 410 Gone; resume the destination once it is fixed`;
    await store.recordAttempt(
      row,
      { ...base, kind: "held", nextAttemptAt: null, leasedUntil: null },
      { ok: false, at, pause: reason },
    );
    console.warn(`[leadcap] destination ${row.site}/${row.destination} paused: 410 Gone`);
    return { outcome: "held", result };
  }

  const pauseAfterMs = (destination?.pauseAfterHours ?? pauseAfterHours(env)) * 3_600_000;
  const failingSince = state.failingSince ? Date.parse(state.failingSince) : now;
  const pause =
    now - failingSince >= pauseAfterMs && pauseAfterMs > 0
      ? `${at}: failing since ${new Date(failingSince).toISOString()} (${state.consecutiveFailures + 1} attempts in a row); last error: ${result.error}`
      : undefined;

  const planned = retrySchedule(env)[row.attempts];
  if (planned === undefined) {
    await store.recordAttempt(
      row,
      { ...base, kind: "dead", nextAttemptAt: null, leasedUntil: null },
      { ok: false, at, ...(pause ? { pause } : {}) },
    );
    console.warn(`[leadcap] delivery ${row.id} dead after ${row.attempts + 1} attempts: ${result.error}`);
    return { outcome: "dead", result };
  }
  // The receiver's Retry-After wins when it asks for longer than our schedule.
  const jittered = planned * (1 - JITTER + 2 * JITTER * Math.random());
  const delay = Math.max(jittered, result.retryAfter ?? 0);
  const next = now + delay * 1000;
  const viaQueue = delay <= MAX_QUEUE_DELAY_S;
  await store.recordAttempt(
    row,
    {
      ...base,
      kind: "retry",
      nextAttemptAt: new Date(next).toISOString(),
      leasedUntil: viaQueue ? new Date(next + leaseGraceMs(env)).toISOString() : null,
    },
    { ok: false, at, ...(pause ? { pause } : {}) },
  );
  return { outcome: "retry", result, ...(viaQueue ? { delay } : {}) };
}

function pauseAfterHours(env: Env): number {
  const value = Number.parseFloat(String(env.DESTINATION_PAUSE_AFTER_HOURS ?? ""));
  return Number.isFinite(value) && value >= 0 ? value : DEFAULT_PAUSE_AFTER_HOURS;
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
  let total = 0;
  // Bounded per tick: up to 10 pages, so a backlog drains over a few ticks without a long request.
  for (let page = 0; page < 10; page++) {
    const ids = await store.claimDue(
      new Date(now).toISOString(),
      new Date(now + leaseGraceMs(env)).toISOString(),
      limit,
      new Date(now - leaseGraceMs(env)).toISOString(),
    );
    for (let i = 0; i < ids.length; i += 100) {
      await env.DELIVERY.sendBatch(ids.slice(i, i + 100).map((outboxId) => ({ body: { outboxId } })));
    }
    total += ids.length;
    if (ids.length < limit) break;
  }
  return total;
}

/** Puts rows on the queue now (replays, resumes, and the fallback of the fast path). */
export async function queueDeliveries(env: Env, ids: string[], delaySeconds = 0): Promise<void> {
  if (ids.length === 0) return;
  try {
    for (let i = 0; i < ids.length; i += 100) {
      await env.DELIVERY.sendBatch(
        ids
          .slice(i, i + 100)
          .map((outboxId) => ({ body: { outboxId }, ...(delaySeconds ? { delaySeconds } : {}) })),
      );
    }
  } catch (error) {
    // Not fatal: the rows are in the outbox and the sweep will enqueue them when their lease runs out.
    console.error("[leadcap] enqueue failed; the outbox sweep will retry", error);
  }
}

/** First attempts made at once, per request: a burst beyond this goes through the queue. */
const FAST_PATH_MAX = 10;

/**
 * Called right after rows are durably written (ingest, lifecycle). The fast path: the first attempt
 * is made at once, in the background of the request that wrote them (waitUntil), so a hot lead
 * reaches sales in milliseconds instead of waiting for a queue batch to fill; a retry goes onto the
 * queue with its delay. If the isolate dies first, the row's lease runs out and the sweep enqueues
 * it: nothing is lost either way. DELIVERY_FAST_PATH=false sends everything through the queue.
 */
export async function enqueue(env: Env, ids: string[], written: AttemptContext[] = []): Promise<void> {
  if (ids.length === 0) return;
  if (env.DELIVERY_FAST_PATH === "false" || ids.length > FAST_PATH_MAX) return queueDeliveries(env, ids);
  try {
    waitUntil(afterResponse().then(() => firstAttempts(env, ids, written)));
  } catch {
    // No request context to run in the background of: the queue it is.
    await queueDeliveries(env, ids);
  }
}

/** A turn of the event loop: the answer goes out before the background work takes the thread. */
const afterResponse = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** `written`: rows the store handed back as it wrote them (their attempts skip the read). */
async function firstAttempts(env: Env, ids: string[], written: AttemptContext[]): Promise<void> {
  const store = deliveryStoreFor(env);
  await Promise.all(
    ids.map(async (id) => {
      try {
        const known = written.find((w) => w.row.id === id);
        const { outcome, delay } = await deliverOne(store, env, id, Date.now(), known);
        if (outcome === "retry" && delay !== undefined) await queueDeliveries(env, [id], Math.ceil(delay));
      } catch (error) {
        console.error("[leadcap] first delivery attempt failed; queued", error);
        await queueDeliveries(env, [id], 10);
      }
    }),
  );
}

/** A made-up lead for "send a test event": realistic enough for every destination's format. */
export function testLead(site: string, now: number): Lead {
  const at = new Date(now).toISOString();
  const touch = {
    utm_source: "leadcap",
    utm_medium: "test",
    utm_campaign: "destination-test",
    landingPage: "https://www.example.com/pricing",
    at,
    channel: "referral",
  };
  return {
    id: "lead_TEST0000000000000000000000",
    site,
    form: "contact",
    email: "test.lead@example.com",
    fields: { name: "Test Lead", company: "Example Inc", consent: true },
    score: 90,
    temperature: "hot",
    stage: "MQL",
    reasons: [{ rule: "test", label: "A test event from Leadcap", points: 90 }],
    firstTouch: touch,
    lastTouch: touch,
    engagement: { activeTimeMs: 60_000, maxScrollPct: 80, pageViews: 3, visits: 2 },
    page: { url: "https://www.example.com/pricing", title: "Pricing" },
    submissionCount: 1,
    createdAt: at,
    updatedAt: at,
  };
}

/** Sends a test event to one destination now (not through the outbox) and says what came of it. */
export async function sendTestEvent(
  env: Env,
  destination: Parameters<typeof send>[0],
  siteId: string,
  now = Date.now(),
): Promise<SendResult & { latencyMs: number; webhookId: string }> {
  const lead = testLead(siteId, now);
  const timestamp = new Date(now).toISOString();
  const id = `msg_test_${now.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const body = JSON.stringify({ type: "lead.test", timestamp, data: lead });
  const started = performance.now();
  const result = await send(
    destination,
    { id, type: "lead.test", timestamp, lead, body },
    sendContext(env, now),
  );
  return { ...result, latencyMs: Math.round(performance.now() - started), webhookId: id };
}
