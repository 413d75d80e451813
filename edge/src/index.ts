/**
 * The Worker: fetch (the Hono app), queue (the delivery consumer) and scheduled (the outbox sweep).
 */
import { app } from "./app.ts";
import { type DeliveryMessage, handleQueue, sweepOutbox } from "./delivery.ts";
import type { Env } from "./env.ts";

export default {
  fetch: app.fetch,
  async queue(batch, env) {
    await handleQueue(batch, env);
  },
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(sweepOutbox(env));
  },
} satisfies ExportedHandler<Env, DeliveryMessage>;
