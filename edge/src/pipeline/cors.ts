/**
 * CORS for the public write endpoints (/v1/leads, /v1/events): exact-match origins per site, never
 * `null`, never credentials, `Vary: Origin` always. The site is in the body, so the grant is first
 * given to an origin some site allows (so the widget can read error answers) and withdrawn by
 * `assertOrigin` once the site is known to refuse it.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { SiteConfig } from "../../../shared/config.ts";
import type { ErrorBody } from "../../../shared/errors.ts";
import type { AppEnv, Env } from "../env.ts";
import { ApiError } from "../errors.ts";
import { allSites, getSite, isOriginAllowed } from "../sites.ts";

export function allowedByAnySite(origin: string, env: Env): boolean {
  for (const site of allSites(env)) if (isOriginAllowed(site, origin, env)) return true;
  return false;
}

export function siteCors(): MiddlewareHandler<AppEnv> {
  return async function siteCors(c, next) {
    c.header("Vary", "Origin");
    const origin = c.req.header("origin");
    if (origin && allowedByAnySite(origin, c.env)) c.header("Access-Control-Allow-Origin", origin);
    if (c.req.method !== "OPTIONS") return next();

    // Preflight (only JSON requests need one; the widget's text/plain posts do not).
    const siteId = c.req.query("site");
    const site = siteId ? getSite(siteId, c.env) : undefined;
    const allowed =
      !!origin && (site ? isOriginAllowed(site, origin, c.env) : allowedByAnySite(origin, c.env));
    if (!allowed) {
      c.header("Access-Control-Allow-Origin", undefined);
      return c.json<ErrorBody>(
        { error: { code: "origin_not_allowed", message: "This origin may not post here." } },
        403,
      );
    }
    c.header("Access-Control-Allow-Methods", "POST, OPTIONS");
    c.header("Access-Control-Allow-Headers", "Content-Type");
    c.header("Access-Control-Max-Age", "86400");
    return c.body(null, 204);
  };
}

/**
 * No Origin header: a server-side or no-JS submission (browsers send one on every cross-origin POST).
 * A present Origin must be on the site's list; otherwise 403, which that page may read: the widget
 * then keeps the lead in the visitor's outbox and tells them in plain words that it will be sent once
 * the site takes it (an unreadable answer looked like being offline). Nothing was written, and the
 * answer holds nothing but its code, so reading it grants the page nothing.
 */
export function assertOrigin(c: Context<AppEnv>, site: SiteConfig): void {
  const origin = c.req.header("origin");
  if (origin !== undefined && !isOriginAllowed(site, origin, c.env)) {
    c.header("Access-Control-Allow-Origin", origin === "null" ? undefined : origin);
    throw new ApiError("origin_not_allowed", "This origin may not post for this site.");
  }
}
