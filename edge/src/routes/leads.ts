/**
 * POST /v1/leads, the HTTP side only: read the body (JSON, or the no-JS form post), name the site for
 * capture health, repair the signals (pipeline/repair.ts), find the site and form, check the origin,
 * then hand the submission to the ingest pipeline (pipeline/ingest.ts) and turn what it returns into
 * an answer: 201 for a new lead, 200 for a repeat, `Idempotent-Replayed` for a retry. Only the answers
 * (and an unknown site or form) can make a submission fail: malformed signals around them are
 * repaired or dropped with a note, stored with it.
 */
import type { Context } from "hono";
import { Hono } from "hono/tiny";
import type { FormConfig, SiteConfig } from "../../../shared/config.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { readJsonBody, readLimitedText } from "../pipeline/body.ts";
import { captureHealth } from "../pipeline/capture.ts";
import { assertOrigin, siteCors } from "../pipeline/cors.ts";
import { htmlError, htmlPage, isFormPost, submissionFromForm, thankYouUrl } from "../pipeline/form-post.ts";
import { assertTakingLeads, clientOf } from "../pipeline/guard.ts";
import { type Ingested, ingest, type Submitted } from "../pipeline/ingest.ts";
import { repairSubmission } from "../pipeline/repair.ts";
import { getForm, getSite } from "../sites.ts";

export const leads = new Hono<AppEnv>();

leads.use("*", captureHealth());
leads.use("*", siteCors());

leads.post("/", async (c) => {
  if (isFormPost(c.req.raw)) return acceptFormPost(c);
  const body = await readJsonBody(c.req.raw);
  // Named before anything is checked, so capture health can count a refusal against the site.
  siteOf(c, (body as { site?: unknown } | null)?.site);
  const { submission, notes } = await repairSubmission(body, new Date());
  const { site, form } = siteAndForm(c, submission);
  assertOrigin(c, site);
  const { outcome, answer } = await submit(c, { site, form, submission, notes });
  if (outcome === "replayed") c.header("Idempotent-Replayed", "true");
  return c.json(answer, answer.duplicate ? 200 : 201);
});

/** The site a body names, if it exists, set as the request's `site` (capture health reads it). */
function siteOf(c: Context<AppEnv>, id: unknown): SiteConfig | undefined {
  const site = typeof id === "string" ? getSite(id, c.env) : undefined;
  if (site) c.set("site", site.id);
  return site;
}

function siteAndForm(
  c: Context<AppEnv>,
  submission: { site: string; form: string },
): { site: SiteConfig; form: FormConfig } {
  const site = siteOf(c, submission.site);
  if (!site) throw new ApiError("not_found", `There is no site "${submission.site}".`);
  const form = getForm(site, submission.form);
  if (!form) throw new ApiError("not_found", `Site "${site.id}" has no form "${submission.form}".`);
  assertTakingLeads(site);
  return { site, form };
}

/** The no-JS fallback: answers with a redirect to a thank-you page, or a page listing what to fix. */
async function acceptFormPost(c: Context<AppEnv>): Promise<Response> {
  const params = new URLSearchParams(await readLimitedText(c.req.raw));
  const referer = c.req.header("referer") ?? null;
  let form: FormConfig | undefined;
  try {
    const found = siteAndForm(c, { site: params.get("site") ?? "", form: params.get("form") ?? "" });
    form = found.form;
    assertOrigin(c, found.site);
    const now = new Date();
    const { submission, notes } = await repairSubmission(
      submissionFromForm(params, found.form, referer, now),
      now,
    );
    await submit(c, { site: found.site, form: found.form, submission, notes });
    const target = thankYouUrl(params, found.site, c.env, referer, c.req.header("origin") ?? null);
    if (target) return c.redirect(target, 303);
    return c.html(htmlPage("Thank you!", [found.form.successMessage], undefined), 201);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    return c.html(htmlError(error, form, referer ?? undefined), error.status);
  }
}

/** Runs the ingest pipeline for this request. */
async function submit(c: Context<AppEnv>, parsed: Omit<Submitted, "client">): Promise<Ingested> {
  const ingested = await ingest(c.env, c.executionCtx, { ...parsed, client: clientOf(c.req.raw) });
  // Counted once per kept submission (capture health): a replayed retry was counted the first time.
  if (ingested.outcome === "kept" && parsed.notes.length) c.set("repairs", parsed.notes.length);
  return ingested;
}
