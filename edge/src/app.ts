/**
 * The HTTP app: one sub-app per resource, one error shape. Anything a client sends that we refuse is
 * a 4xx with a code from shared/errors.ts; only our own failures are 5xx.
 */

import { HTTPException } from "hono/http-exception";
import { Hono } from "hono/tiny";
import type { ErrorBody } from "../../shared/errors.ts";
import type { AppEnv } from "./env.ts";
import { ApiError, apiErrorOf } from "./errors.ts";
import { access } from "./routes/access.ts";
import { admin } from "./routes/admin.ts";
import { chunks } from "./routes/chunks.ts";
import { docs } from "./routes/docs.ts";
import { events } from "./routes/events.ts";
import { forms } from "./routes/forms.ts";
import { leads } from "./routes/leads.ts";
import { refreshSites } from "./sites.ts";
import { StoreError } from "./stores/errors.ts";
import { storeMisconfiguration } from "./stores/index.ts";

export const app = new Hono<AppEnv>();

app.get("/v1/health", (c) => {
  // Uptime checks see a Worker that cannot reach its store, instead of an ok it cannot keep.
  const problem = storeMisconfiguration(c.env);
  return problem ? c.json({ ok: false, error: problem }, 503) : c.json({ ok: true });
});
// Configs saved from the console, read at most once every few seconds per isolate.
app.use("/v1/*", async (c, next) => {
  await refreshSites(c.env);
  await next();
});
app.route("/v1/leads", leads);
app.route("/v1", docs);
app.route("/v1/access", access);
app.route("/v1/events", events);
// The same two handlers under neutral names, for sites serving the widget first-party (README, "Serve
// it first-party"): filter lists block request paths with `lead` or `event` in them.
app.route("/v1/answers", leads);
app.route("/v1/counts", events);
app.route("/v1/sites", forms);
app.route("/v1/admin", admin);
app.route("/", chunks);

app.notFound(function notFound(c) {
  // A known path asked with another method: 405 naming the methods its routes take (RFC 9110
  // §15.5.6). Middleware is registered for ALL methods and does not count; HEAD goes with GET.
  const allow = ["GET", "POST", "PUT", "DELETE"].filter((method) =>
    app.router.match(method, c.req.path)[0].some(([[, route]]) => route.method === method),
  );
  if (allow.includes("GET")) allow.push("HEAD");
  if (allow.length > 0 && !allow.includes(c.req.method)) {
    const methods = allow.join(", ");
    // OPTIONS that no CORS preflight answered: the methods, without an error.
    if (c.req.method === "OPTIONS") return c.body(null, 204, { Allow: `${methods}, OPTIONS` });
    c.header("Allow", methods);
    return c.json<ErrorBody>(
      { error: { code: "method_not_allowed", message: `${c.req.method} is not allowed here: ${methods}.` } },
      405,
    );
  }
  return c.json<ErrorBody>({ error: { code: "not_found", message: "No such resource." } }, 404);
});

app.onError(function onError(error, c) {
  if (error instanceof StoreError) return onError(apiErrorOf(error), c);
  if (error instanceof ApiError) {
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    return c.json(error.body(), error.status);
  }
  if (error instanceof HTTPException && error.status < 500) {
    return c.json<ErrorBody>(
      { error: { code: "invalid_request", message: error.message || "Bad request." } },
      error.status,
    );
  }
  console.error("[leadcap] unhandled error", error);
  return c.json<ErrorBody>(
    { error: { code: "internal", message: "Something went wrong on our side. Please retry." } },
    500,
  );
});
