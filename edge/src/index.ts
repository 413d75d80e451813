/**
 * The Worker: fetch (the Hono app), queue (the delivery consumer) and scheduled (every minute: the
 * outbox sweep, the re-score sweep and housekeeping).
 */
import { app } from "./app.ts";
import { type DeliveryMessage, handleQueue, sweepOutbox } from "./delivery.ts";
import type { Env } from "./env.ts";
import { rescoreSweep } from "./pipeline/lifecycle.ts";
import { allSites, refreshSites } from "./sites.ts";
import { storeFor } from "./stores/index.ts";

export default {
  fetch: app.fetch,
  async queue(batch, env) {
    await refreshSites(env);
    await handleQueue(batch, env);
  },
  async scheduled(_controller, env, ctx) {
    await refreshSites(env);
    const store = storeFor(env);
    ctx.waitUntil(
      Promise.all([
        sweepOutbox(env),
        rescoreSweep(env, store, allSites(env)),
        // Rate-limit windows older than two days (the longest window is one).
        store.pruneRateWindows(Math.floor(Date.now() / 1000) - 2 * 86_400),
      ]),
    );
  },
} satisfies ExportedHandler<Env, DeliveryMessage>;
