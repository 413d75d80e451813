/**
 * Capture health: counts what the public write routes (POST /v1/leads, POST /v1/events and their
 * aliases) refused, or accepted after repairing the signals, against the site the body named, by
 * reason and origin. Mounted first on those sub-apps; it only looks at the outcome after the answer
 * is made (`c.error`, the status, the `site` and `repairs` the routes set), and the write happens in
 * `waitUntil`: it never delays, changes or fails an answer.
 *
 * Bot submissions are not counted here: they are answered like a person's (201) and the route keeps
 * them in the spam records, which capture health reads back (stores/ports/capture.ts).
 */
import type { Context, MiddlewareHandler } from "hono";
import type { CaptureReason, CaptureRoute } from "../../../shared/capture.ts";
import type { SiteConfig } from "../../../shared/config.ts";
import type { ErrorCode } from "../../../shared/errors.ts";
import type { AppEnv } from "../env.ts";
import { ApiError, apiErrorOf } from "../errors.ts";
import { allSites, getSite, isOriginAllowed } from "../sites.ts";
import { StoreError } from "../stores/errors.ts";
import { captureStoreFor } from "../stores/index.ts";

/** The error codes counted, and under which reason. Our own failures (5xx) are not the owner's to fix. */
const BY_CODE: Partial<Record<ErrorCode, CaptureReason>> = {
  origin_not_allowed: "origin_not_allowed",
  validation_failed: "invalid_answers",
  unprocessable: "invalid_answers",
  rate_limited: "rate_limited",
  payload_too_large: "payload_too_large",
  invalid_request: "invalid_request",
  unsupported_media_type: "invalid_request",
  not_found: "unknown_form",
};

/**
 * The no-JS form post answers an HTML page without throwing, so there is only the status. Its 400s
 * are the page listing what to fix: the person's answers.
 */
const BY_STATUS: Record<number, CaptureReason> = {
  400: "invalid_answers",
  403: "origin_not_allowed",
  404: "unknown_form",
  413: "payload_too_large",
  415: "invalid_request",
  422: "invalid_answers",
  429: "rate_limited",
};

/** An Origin header is the client's to write: long ones are cut (a real one is far shorter). */
const MAX_ORIGIN_LENGTH = 200;

export function captureHealth(): MiddlewareHandler<AppEnv> {
  return async function captureHealth(c, next) {
    await next();
    try {
      const reason = reasonOf(c);
      if (!reason) return;
      const origin = (c.req.header("origin") ?? "").slice(0, MAX_ORIGIN_LENGTH);
      const site = siteOf(c, origin);
      if (!site) return;
      const entry = { route: routeOf(c.req.path), reason, origin, at: new Date().toISOString() };
      const env = c.env;
      c.executionCtx.waitUntil(
        Promise.resolve()
          .then(() => captureStoreFor(env).count(site.id, [entry]))
          .catch((error: unknown) =>
            console.error("[leadcap] capture health: a count was lost", { site: site.id, ...entry }, error),
          ),
      );
    } catch (error) {
      // Whatever went wrong here, the answer is already made and stays as it is.
      console.error("[leadcap] capture health: the outcome could not be counted", error);
    }
  };
}

function reasonOf(c: Context<AppEnv>): CaptureReason | undefined {
  const method = c.req.method;
  // A refused CORS preflight (a JSON client on an origin the site does not allow) is a refused post:
  // the browser never sends the request itself.
  if (method === "OPTIONS") return c.res.status === 403 ? "origin_not_allowed" : undefined;
  if (method !== "POST") return undefined;
  // A store's refusal (over the rate limit) is answered by the one mapping app.onError uses.
  const error = c.error instanceof StoreError ? apiErrorOf(c.error) : c.error;
  if (error instanceof ApiError) return BY_CODE[error.code];
  if (error) return undefined;
  const status = c.res.status;
  if (status < 300) return (c.get("repairs") ?? 0) > 0 ? "repaired" : undefined;
  return BY_STATUS[status];
}

/** /v1/events and its alias /v1/counts take analytics batches; the rest are lead submissions. */
function routeOf(path: string): CaptureRoute {
  return /\/(events|counts)\/?$/.test(path) ? "events" : "leads";
}

/**
 * The site to count against, only one that exists: the one the body named (set by the route), the
 * preflight's `?site=`, or, for a body that could not be read (too large, not JSON: nothing was
 * named), the one site whose allowed origins hold the request's Origin. Unattributable refusals are
 * not counted: there is nobody to show them to. The body itself is not peeked at: an oversized body
 * is refused without reading it, and reading it anyway would be the cost the limit is there to avoid.
 */
function siteOf(c: Context<AppEnv>, origin: string): SiteConfig | undefined {
  const named = c.get("site") ?? (c.req.method === "OPTIONS" ? c.req.query("site") : undefined);
  if (named) return getSite(named, c.env);
  if (!origin) return undefined;
  let found: SiteConfig | undefined;
  for (const site of allSites(c.env)) {
    if (!isOriginAllowed(site, origin, c.env)) continue;
    if (found) return undefined; // several sites share the origin: which one is a guess
    found = site;
  }
  return found;
}
