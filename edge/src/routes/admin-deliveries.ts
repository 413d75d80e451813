/**
 * The delivery side of the admin API: destinations (state, pause, resume, send a test event),
 * deliveries with their attempt log, dead letters, replay (one, or everything failed since T).
 * Mounted inside the admin app (routes/admin.ts), so its token and site checks apply to every route.
 */
import type { Context } from "hono";
import { Hono } from "hono/tiny";
import { BulkReplayBodySchema, PauseBodySchema } from "../../../shared/api/requests.ts";
import type { SiteConfig } from "../../../shared/config.ts";
import { leaseGraceMs, queueDeliveries, sendTestEvent } from "../delivery.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { canSee } from "../pipeline/auth.ts";
import { readJsonBody } from "../pipeline/body.ts";
import { siteFromQuery } from "../pipeline/site-query.ts";
import { fieldErrors } from "../pipeline/validate.ts";
import { activeDestinations, findDestination } from "../routing.ts";
import { opened } from "../secrets.ts";
import { deliveryStoreFor } from "../stores/index.ts";
import type { DeliveryStatus } from "../stores/ports/delivery.ts";

export const deliveriesAdmin = new Hono<AppEnv>();

/** Most rows one bulk replay call re-queues; call again (same filter) while `more` is true. */
const MAX_REPLAY = 5000;

const siteOf = siteFromQuery;

function destinationOf(c: Context<AppEnv>, site: SiteConfig) {
  const id = c.req.param("id") ?? "";
  const configured = site.destinations.find((d) => d.id === id);
  if (!configured) throw new ApiError("not_found", `Site "${site.id}" has no destination "${id}".`);
  return configured;
}

const leaseFrom = (c: Context<AppEnv>, now: number) => new Date(now + leaseGraceMs(c.env)).toISOString();

function isoOrThrow(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new ApiError("invalid_request", `${name} must be an ISO 8601 time.`, {
      fields: { [name]: "ISO 8601" },
    });
  return new Date(t).toISOString();
}

const STATUSES = new Set<DeliveryStatus>(["pending", "delivered", "dead"]);
function statusOrThrow(value: string | undefined): DeliveryStatus | undefined {
  if (value === undefined) return undefined;
  if (!STATUSES.has(value as DeliveryStatus))
    throw new ApiError("invalid_request", "status must be pending, delivered or dead.", {
      fields: { status: "pending | delivered | dead" },
    });
  return value as DeliveryStatus;
}

/** The site's destinations as configured, never with their secrets. */
deliveriesAdmin.get("/destinations", (c) => {
  const site = siteOf(c);
  const active = new Set(activeDestinations(site, c.env).map((d) => d.id));
  return c.json({
    destinations: site.destinations.map((d) => ({ id: d.id, type: d.type, configured: active.has(d.id) })),
  });
});

/** One destination's health: paused (and why), failing since, last success, deliveries by status. */
deliveriesAdmin.get("/destinations/:id", async (c) => {
  const site = siteOf(c);
  const destination = destinationOf(c, site);
  const store = deliveryStoreFor(c.env);
  const [state, counts] = await Promise.all([
    store.getDestinationState(site.id, destination.id),
    store.countByDestination(site.id),
  ]);
  return c.json({
    id: destination.id,
    type: destination.type,
    configured: findDestination(site, destination.id, c.env) !== undefined,
    ...state,
    ...(destination.paused ? { paused: true, pausedReason: "paused in the site config" } : {}),
    deliveries: counts[destination.id] ?? { pending: 0, dead: 0, delivered: 0 },
  });
});

deliveriesAdmin.post("/destinations/:id/pause", async (c) => {
  const site = siteOf(c);
  const destination = destinationOf(c, site);
  const text = await c.req.text();
  const parsed = PauseBodySchema.safeParse(text ? JSON.parse(text) : {});
  const reason = (parsed.success && parsed.data.reason) || "paused through the admin API";
  const at = new Date().toISOString();
  await deliveryStoreFor(c.env).pauseDestination(site.id, destination.id, reason, at);
  return c.json({ id: destination.id, paused: true, pausedReason: reason, pausedAt: at });
});

/** Unpauses, and sends everything it held (the same webhook-ids), oldest first. */
deliveriesAdmin.post("/destinations/:id/resume", async (c) => {
  const site = siteOf(c);
  const destination = destinationOf(c, site);
  const now = Date.now();
  const ids = await deliveryStoreFor(c.env).resumeDestination(
    site.id,
    destination.id,
    new Date(now).toISOString(),
    leaseFrom(c, now),
  );
  await queueDeliveries(c.env, ids);
  return c.json({ id: destination.id, paused: !!destination.paused, released: ids.length });
});

/** "Send a test event": a made-up hot lead, sent now, and what the destination answered. */
deliveriesAdmin.post("/destinations/:id/test", async (c) => {
  const site = siteOf(c);
  const configured = destinationOf(c, site);
  const destination = findDestination(site, configured.id, c.env);
  if (!destination)
    throw new ApiError(
      "unprocessable",
      `Destination "${configured.id}" has unset variables; set them first.`,
    );
  const ready = await opened(destination, site.id, c.env).catch((error: Error) => {
    throw new ApiError("unprocessable", `Destination "${configured.id}": ${error.message}`);
  });
  const result = await sendTestEvent(c.env, ready, site.id);
  return c.json(result);
});

deliveriesAdmin.get("/deliveries", async (c) => {
  const site = siteOf(c);
  const rawLimit = c.req.query("limit");
  const limit = rawLimit === undefined ? 50 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw new ApiError("invalid_request", "limit must be an integer from 1 to 500.", {
      fields: { limit: "1–500" },
    });
  const page = await deliveryStoreFor(c.env).listDeliveries(
    {
      site: site.id,
      status: statusOrThrow(c.req.query("status")),
      destination: c.req.query("destination"),
      leadId: c.req.query("lead"),
      since: isoOrThrow(c.req.query("since"), "since"),
      until: isoOrThrow(c.req.query("until"), "until"),
    },
    { limit, cursor: c.req.query("cursor") },
  );
  return c.json(page);
});

/** One delivery with its payload and every attempt (status, latency, answer excerpt, next attempt). */
deliveriesAdmin.get("/deliveries/:id", async (c) => {
  const store = deliveryStoreFor(c.env);
  const row = await store.getDelivery(c.req.param("id"));
  if (!row || !canSee(c, row.site)) throw new ApiError("not_found", "There is no such delivery.");
  const { payload, ...rest } = row;
  return c.json({
    ...rest,
    payload: JSON.parse(payload) as unknown,
    attempts: await store.listAttempts(row.id),
  });
});

/** Replays one delivery (dead, or delivered to send again) with the same webhook-id. */
deliveriesAdmin.post("/deliveries/:id/replay", async (c) => {
  const store = deliveryStoreFor(c.env);
  const row = await store.getDelivery(c.req.param("id"));
  if (!row || !canSee(c, row.site)) throw new ApiError("not_found", "There is no such delivery.");
  c.set("auditSites", [row.site]);
  if (row.status === "pending")
    return c.json({ replayed: 0, id: row.id, status: "pending", message: "It is still being delivered." });
  const now = Date.now();
  const ids = await store.replay(
    { site: row.site, status: row.status, ids: [row.id] },
    new Date(now).toISOString(),
    leaseFrom(c, now),
    1,
  );
  await queueDeliveries(c.env, ids);
  return c.json({ replayed: ids.length, id: row.id, status: "pending" });
});

/** Bulk replay: every dead delivery of a site (optionally one destination) created since T. */
deliveriesAdmin.post("/deliveries/replay", async (c) => {
  const parsed = BulkReplayBodySchema.safeParse(await readJsonBody(c.req.raw, 16 * 1024));
  if (!parsed.success)
    throw new ApiError("invalid_request", "The body does not have the expected shape.", {
      fields: fieldErrors(parsed.error.issues),
    });
  const body = parsed.data;
  const site = siteOf(c, body.site);
  const now = Date.now();
  const ids = await deliveryStoreFor(c.env).replay(
    {
      site: site.id,
      status: body.status ?? "dead",
      destination: body.destination,
      since: new Date(body.since).toISOString(),
      until: body.until ? new Date(body.until).toISOString() : undefined,
    },
    new Date(now).toISOString(),
    leaseFrom(c, now),
    MAX_REPLAY,
  );
  await queueDeliveries(c.env, ids);
  c.set("auditTarget", `${ids.length} ${body.status ?? "dead"} deliveries since ${body.since}`);
  return c.json({ replayed: ids.length, more: ids.length === MAX_REPLAY });
});
