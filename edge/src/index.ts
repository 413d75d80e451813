/**
 * The Worker: fetch (the Hono app), queue (the delivery consumer) and scheduled (the outbox sweep).
 */
import { app } from "./app.ts";
import { type DeliveryMessage, handleQueue, sweepOutbox } from "./delivery.ts";
import type { Env } from "./env.ts";
import { rescoreSweep } from "./pipeline/lifecycle.ts";
import { allSites } from "./sites.ts";
import { storeFor } from "./stores/index.ts";

export default {
  fetch: app.fetch,
  async queue(batch, env) {
    await handleQueue(batch, env);
  },
  async scheduled(_controller, env, ctx) {
    const store = storeFor(env);
    ctx.waitUntil(Promise.all([sweepOutbox(env), rescoreSweep(env, store, allSites(env))]));
  },
} satisfies ExportedHandler<Env, DeliveryMessage>;
