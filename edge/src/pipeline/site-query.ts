/**
 * The site an admin request names with `?site=`: required (no admin route falls back to a default
 * site: a deployment has no site it could assume), known (404 otherwise), and one the caller may see
 * (403). One reading for every route that takes it.
 */
import type { Context } from "hono";
import type { SiteConfig } from "../../../shared/config.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { getSite } from "../sites.ts";
import { assertSiteAccess } from "./auth.ts";

export function siteFromQuery(c: Context<AppEnv>, id = c.req.query("site")): SiteConfig {
  if (!id)
    throw new ApiError("invalid_request", "Say which site: ?site=…", { fields: { site: "Required." } });
  const site = getSite(id, c.env);
  if (!site) throw new ApiError("not_found", `There is no site "${id}".`);
  assertSiteAccess(c, site.id);
  return site;
}
