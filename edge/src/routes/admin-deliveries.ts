/**
 * The delivery side of the admin API: destinations, deliveries, dead letters, replay. Mounted inside
 * the admin app (routes/admin.ts), so its token and site checks apply to every route here.
 */
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { assertSiteAccess } from "../pipeline/auth.ts";
import { activeDestinations } from "../routing.ts";
import { getSite } from "../sites.ts";

export const deliveriesAdmin = new Hono<AppEnv>();

/** The site's destinations as configured, never with their secrets. */
deliveriesAdmin.get("/destinations", (c) => {
  const siteId = c.req.query("site") ?? "demo";
  const site = getSite(siteId, c.env);
  if (!site) throw new ApiError("not_found", `There is no site "${siteId}".`);
  assertSiteAccess(c, site.id);
  const active = new Set(activeDestinations(site, c.env).map((d) => d.id));
  return c.json({
    destinations: site.destinations.map((d) => ({ id: d.id, type: d.type, configured: active.has(d.id) })),
  });
});
