/**
 * The public config the widget reads: GET /v1/sites/:site (tracking settings, form ids) and
 * GET /v1/sites/:site/forms/:form?lang= (the form it renders, in the page's language when the form
 * has a translation for it, and the same tracking settings: a page naming a form asks only this).
 * Nothing secret in either.
 */
import { Hono } from "hono/tiny";
import type { PublicFormConfig, PublicSiteConfig } from "../../../shared/api/sites.ts";
import { LANGUAGE, localizeForm } from "../../../shared/config.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { assertTakingLeads } from "../pipeline/guard.ts";
import { getForm, getSite } from "../sites.ts";

export const forms = new Hono<AppEnv>();

/**
 * Browsers reuse the answer for 10 s and, for five minutes after, show it at once while fetching the
 * new one: a page view never waits on it twice, and a config saved in the console reaches visitors
 * on their next page view (the edge's own copy is at most 5 s old).
 */
const CACHE = "public, max-age=10, stale-while-revalidate=300";

forms.get("/:site/forms/:form", (c) => {
  // Public, read-only and credential-free: any page may read it (the submit endpoint checks origins).
  c.header("Access-Control-Allow-Origin", "*");
  const site = getSite(c.req.param("site"), c.env);
  if (!site) throw new ApiError("not_found", `There is no site "${c.req.param("site")}".`);
  const form = getForm(site, c.req.param("form"));
  if (!form) throw new ApiError("not_found", `Site "${site.id}" has no form "${c.req.param("form")}".`);
  assertTakingLeads(site);
  c.header("Cache-Control", CACHE);
  // The page's language (?lang=de): the form in it when it has a translation, else as written.
  const lang = c.req.query("lang")?.toLowerCase().split("-")[0];
  // Without its bot settings: the Turnstile secret (and the time trap) are the edge's, not the page's.
  const { bot: _bot, ...shown } = localizeForm(form, lang && LANGUAGE.test(lang) ? lang : undefined);
  return c.json<PublicFormConfig>({
    site: site.id,
    form: shown,
    tracking: site.tracking,
  });
});

forms.get("/:site", (c) => {
  c.header("Access-Control-Allow-Origin", "*");
  const site = getSite(c.req.param("site"), c.env);
  if (!site) throw new ApiError("not_found", `There is no site "${c.req.param("site")}".`);
  c.header("Cache-Control", CACHE);
  return c.json<PublicSiteConfig>({
    site: site.id,
    tracking: site.tracking,
    // A paused site shows no form.
    forms: site.disabled
      ? []
      : site.forms.map((form) => ({ id: form.id, mode: form.display?.mode ?? "inline" })),
  });
});
