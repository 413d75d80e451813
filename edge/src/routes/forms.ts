/** GET /v1/sites/:site/forms/:form: the public form config the widget renders. Nothing secret in it. */
import { Hono } from "hono";
import type { PublicFormConfig } from "../../../shared/config.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { getForm, getSite } from "../sites.ts";

export const forms = new Hono<AppEnv>();

forms.get("/:site/forms/:form", (c) => {
  // Public, read-only and credential-free: any page may read it (the submit endpoint checks origins).
  c.header("Access-Control-Allow-Origin", "*");
  const site = getSite(c.req.param("site"), c.env);
  if (!site) throw new ApiError("not_found", `There is no site "${c.req.param("site")}".`);
  const form = getForm(site, c.req.param("form"));
  if (!form) throw new ApiError("not_found", `Site "${site.id}" has no form "${c.req.param("form")}".`);
  c.header("Cache-Control", "public, max-age=60");
  return c.json<PublicFormConfig>({ site: site.id, form });
});
