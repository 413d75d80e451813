/**
 * POST /v1/leads: guard → repair the signals → validate the answers → identify → score → store (one
 * atomic write) → answer, then enqueue deliveries. The answer is sent only after the lead is durably
 * written. Only the answers (and an unknown site or form) can make a submission fail: malformed
 * signals around them are repaired or dropped with a note (pipeline/repair.ts), stored with it.
 */
import type { Context } from "hono";
import { Hono } from "hono/tiny";
import { channelOf } from "../../../shared/channels.ts";
import type { Field, FormConfig, RateLimit, SiteConfig } from "../../../shared/config.ts";
import type {
  Consent,
  FieldValue,
  Lead,
  LeadSubmission,
  RepairNote,
  SubmitAnswer,
} from "../../../shared/lead.ts";
import { score, scoringInputFor } from "../../../shared/scoring.ts";
import { enqueue } from "../delivery.ts";
import type { AppEnv, Env } from "../env.ts";
import { ApiError } from "../errors.ts";
import { leadId, messageId } from "../ids.ts";
import { readJsonBody, readLimitedText } from "../pipeline/body.ts";
import { botVerdict } from "../pipeline/bots.ts";
import { captureHealth } from "../pipeline/capture.ts";
import { canonicalEmail, isDisposableDomain } from "../pipeline/contact.ts";
import { assertOrigin, siteCors } from "../pipeline/cors.ts";
import { htmlError, htmlPage, isFormPost, submissionFromForm, thankYouUrl } from "../pipeline/form-post.ts";
import { dedupeKey, normalizeEmail } from "../pipeline/identity.ts";
import { reviseLead, scoringVersion } from "../pipeline/lifecycle.ts";
import { repairAnswers, repairSubmission } from "../pipeline/repair.ts";
import { validateFields } from "../pipeline/validate.ts";
import { submissionDestinations } from "../routing.ts";
import { getForm, getSite } from "../sites.ts";
import { RateLimitedError } from "../stores/errors.ts";
import { storeFor } from "../stores/index.ts";
import type { IngestCommand } from "../stores/ports/ingest.ts";

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
  const { answer, replayed } = await accept(c, site, form, submission, notes);
  if (replayed) c.header("Idempotent-Replayed", "true");
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
    await accept(c, found.site, found.form, submission, notes);
    const target = thankYouUrl(params, found.site, c.env, referer, c.req.header("origin") ?? null);
    if (target) return c.redirect(target, 303);
    return c.html(htmlPage("Thank you!", [found.form.successMessage], undefined), 201);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    return c.html(htmlError(error, form, referer ?? undefined), error.status);
  }
}

/**
 * The pipeline after parsing: validate against the form, catch bots, identify, score, store in one
 * atomic write, then enqueue the deliveries. Returns only after the lead is durably written. The
 * answer carries the repair notes (the same for a retry of the same body: the repair is deterministic).
 */
async function accept(
  c: Context<AppEnv>,
  site: SiteConfig,
  form: FormConfig,
  submission: LeadSubmission,
  notes: RepairNote[],
): Promise<{ answer: SubmitAnswer; replayed: boolean }> {
  const { env, executionCtx: ctx } = c;
  const client = clientOf(c);
  const fields = validateFields(form, repairAnswers(form, submission.fields, notes));
  const withNotes = (answer: SubmitAnswer) => (notes.length ? { ...answer, notes } : answer);
  if (site.identity.rejectDisposable) {
    const email = String(fields[emailField(form).name]);
    if (isDisposableDomain(email.slice(email.lastIndexOf("@") + 1))) {
      throw new ApiError("validation_failed", "Some fields need attention.", {
        fields: {
          [emailField(form).name]: "Use a permanent email address; disposable ones cannot be accepted.",
        },
      });
    }
  }
  const now = new Date();
  const store = storeFor(env);

  const trap = form.fields.find(
    (f) => f.type === "honeypot" && typeof fields[f.name] === "string" && fields[f.name] !== "",
  );
  const spamReason = trap ? `honeypot:${trap.name}` : await botVerdict(env, form, submission, client);
  if (spamReason) {
    // Answer as if it were a person, so the bot learns nothing; keep a record, store and send nothing.
    await store.recordSpam({
      site: site.id,
      form: form.id,
      submissionId: submission.submissionId,
      reason: spamReason,
      now: now.toISOString(),
    });
    return {
      answer: withNotes({ leadId: leadId(), duplicate: false, score: 0, temperature: "cold", stage: "IQL" }),
      replayed: false,
    };
  }

  const command = await buildIngest(env, site, form, submission, fields, notes, now);
  const window = site.rateLimit && !LOOPBACK.has(client) ? rateWindow(site.rateLimit, now) : undefined;
  if (window && site.rateLimit) {
    command.rateWindow = {
      ...window,
      key: await dedupeKey(env.LEADCAP_SECRET, site.id, `client:${client}`),
      limit: site.rateLimit.limit,
    };
  }
  let result: Awaited<ReturnType<typeof store.ingest>>;
  try {
    result = await store.ingest(command);
  } catch (error) {
    if (error instanceof RateLimitedError) {
      throw new ApiError(
        "rate_limited",
        "Too many submissions from this device. Please wait a moment and try again.",
        {
          headers: { "Retry-After": String(error.retryAfter ?? window?.retryAfter ?? 60) },
        },
      );
    }
    console.error("[leadcap] store unavailable", error);
    throw new ApiError(
      "unavailable",
      "The lead could not be stored right now. Please retry; it will not be duplicated.",
      { headers: { "Retry-After": "2" } },
    );
  }
  ctx.waitUntil(enqueue(env, result.deliveryIds, result.attempts));
  if (result.fresh && result.answer.duplicate) {
    // The merge kept the higher of the two scores; now score the merged lead as a whole (after the
    // answer: the visitor does not wait for it). Each merge schedules this, so the last one wins.
    ctx.waitUntil(
      reviseLead(env, store, site, result.answer.leadId, { cause: "merged submission" }, "latest-wins").catch(
        (error: unknown) =>
          console.error("[leadcap] re-score after merge failed; the rules sweep will catch up", error),
      ),
    );
  }
  // Counted once per kept submission: a replayed retry was counted the first time.
  if (notes.length && result.fresh) c.set("repairs", notes.length);
  return { answer: withNotes(result.answer), replayed: !result.fresh };
}

/**
 * Loopback clients are not rate limited: only local runs (the dev stack, load tests on this machine)
 * have them; in production Cloudflare always reports the visitor's public address.
 */
const LOOPBACK = new Set(["127.0.0.1", "::1"]);

/** Who is submitting, for rate limiting: Cloudflare's client IP (set by the edge, not spoofable there). */
function clientOf(c: Context<AppEnv>): string {
  return c.req.header("cf-connecting-ip") ?? "unknown";
}

/** The window `now` falls in; a sliding window weighs the previous one by how much of it still overlaps. */
function rateWindow(limit: RateLimit, now: Date) {
  const seconds = now.getTime() / 1000;
  const windowStart = Math.floor(seconds / limit.windowSeconds) * limit.windowSeconds;
  const elapsed = (seconds - windowStart) / limit.windowSeconds;
  return {
    windowStart,
    previousWindowStart: windowStart - limit.windowSeconds,
    previousWeight: limit.algorithm === "sliding" ? 1 - elapsed : 0,
    windowSeconds: limit.windowSeconds,
    algorithm: limit.algorithm,
    retryAfter: Math.max(1, Math.ceil(windowStart + limit.windowSeconds - seconds)),
  };
}

function emailField(form: FormConfig): Field {
  // FormSchema guarantees a required, always shown email field.
  return form.fields.find((f) => f.type === "email" && f.required && !f.showWhen)!;
}

async function buildIngest(
  env: Env,
  site: SiteConfig,
  form: FormConfig,
  submission: LeadSubmission,
  fields: Record<string, FieldValue>,
  notes: RepairNote[],
  now: Date,
): Promise<IngestCommand> {
  const nowIso = now.toISOString();
  const email = normalizeEmail(fields[emailField(form).name] as string);
  // Channels are the edge's call, by the site's rules: whatever a client put there is replaced.
  const context = { formIntent: form.intent };
  const firstTouch = {
    ...submission.attribution.firstTouch,
    channel: channelOf(submission.attribution.firstTouch, site.channels, context),
  };
  const lastTouch = {
    ...submission.attribution.lastTouch,
    channel: channelOf(submission.attribution.lastTouch, site.channels, context),
  };
  const kept: Record<string, FieldValue> = {};
  const consent: Consent[] = [];
  for (const field of form.fields) {
    const value = fields[field.name];
    if (field.type === "honeypot" || value === undefined) continue;
    kept[field.name] = value;
    if (field.type === "consent" && value === true) {
      consent.push({
        field: field.name,
        text: field.label,
        ...(field.consentVersion ? { version: field.consentVersion } : {}),
        at: nowIso,
      });
    }
  }

  const candidate = {
    id: leadId(now.getTime()),
    site: site.id,
    form: form.id,
    email,
    fields: kept,
    ...(consent.length ? { consent } : {}),
    firstTouch,
    lastTouch,
    engagement: submission.engagement,
    page: submission.page,
    submissionCount: 1,
    conversions: 1,
    lastConversionAt: nowIso,
    createdAt: nowIso,
    updatedAt: nowIso,
  };
  // Scored exactly as a stored lead is re-scored later (merges, events, rules changes).
  const lead: Lead = { ...candidate, ...score(scoringInputFor(site, candidate, [], nowIso), site.scoring) };
  // Newest non-empty value wins; an empty answer never erases what the person told us before.
  const keepFirst = new Set(form.fields.filter((f) => f.merge === "first").map((f) => f.name));
  const nonEmpty = Object.fromEntries(
    Object.entries(kept).filter(([name, v]) => v !== "" && !keepFirst.has(name)),
  );
  const firstOnly = Object.fromEntries(
    Object.entries(kept).filter(([name, v]) => v !== "" && keepFirst.has(name)),
  );
  const mergePatch: Partial<Lead> = {
    form: form.id,
    fields: nonEmpty,
    lastTouch,
    engagement: submission.engagement,
    page: submission.page,
    updatedAt: nowIso,
    ...(consent.length ? { consent } : {}),
  };
  return {
    site: site.id,
    submissionId: submission.submissionId,
    dedupeKey: await dedupeKey(env.LEADCAP_SECRET, site.id, canonicalEmail(email, site.identity)),
    lead,
    mergePatch,
    fillPatch: { fields: firstOnly },
    record: {
      submissionId: submission.submissionId,
      form: form.id,
      fields: kept,
      touch: lastTouch,
      engagement: submission.engagement,
      page: submission.page,
      at: nowIso,
      // Last: the Upstash erase script reads the submission id from the start of the stored JSON.
      ...(notes.length ? { notes } : {}),
    },
    dedupeWindowDays: site.dedupeWindowDays,
    scoringVersion: scoringVersion(site),
    deliveries: submissionDestinations(site, lead, env).map((d) => ({ id: messageId(now.getTime()), ...d })),
    now: nowIso,
  };
}
