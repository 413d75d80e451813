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

/**
 * The Workers-route layout of "Serve it first-party" (README): the site routes `example.com/lc/*` to
 * this Worker, so the widget's files and the API are first-party and beyond filter lists that block
 * third-party scripts. The Worker does not know its route, so PUBLIC_PATH names the prefix, and a
 * request under it is answered as if the prefix were not there: the stripped path goes to the static
 * assets first and then to the app, in the order the platform uses for an unprefixed one (assets
 * answer existing files; `/v1/*` always reaches the Worker, wrangler.toml `run_worker_first`). The
 * Worker's answers name no absolute path of their own (chunk redirects are relative), so nothing
 * leads the browser back out of the prefix. Requests outside the prefix are served as before (the
 * workers.dev address keeps working). A reverse proxy that strips the prefix needs none of this.
 */
async function withoutPublicPath(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const prefix = publicPath(env);
  const url = new URL(request.url);
  if (!prefix || !url.pathname.startsWith(`${prefix}/`)) return app.fetch(request, env, ctx);
  url.pathname = url.pathname.slice(prefix.length);
  const stripped = new Request(url, request);
  if (
    env.ASSETS &&
    !url.pathname.startsWith("/v1/") &&
    (request.method === "GET" || request.method === "HEAD")
  ) {
    const asset = await env.ASSETS.fetch(stripped.clone());
    if (asset.status !== 404) return underPrefix(asset, prefix);
  }
  return app.fetch(stripped, env, ctx);
}

/** An asset's redirect (`/console` → `/console/`) stays under the prefix the visitor asked under. */
function underPrefix(response: Response, prefix: string): Response {
  const location = response.headers.get("location");
  if (
    response.status < 300 ||
    response.status > 399 ||
    !location?.startsWith("/") ||
    location.startsWith("//")
  )
    return response;
  const redirected = new Response(response.body, response);
  redirected.headers.set("location", prefix + location);
  return redirected;
}

/** PUBLIC_PATH as `/lc` (from `lc`, `/lc` or `/lc/`); empty when unset or `/`. */
function publicPath(env: Env): string {
  return (env.PUBLIC_PATH ?? "").trim().replace(/^\/*/, "/").replace(/\/+$/, "");
}

export default {
  fetch: withoutPublicPath,
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
