/**
 * POST /v1/leads: guard → validate → identify → score → store (one atomic write) → answer, then
 * enqueue deliveries. The answer is sent only after the lead is durably written.
 */
import { Hono } from "hono";
import type { Field, FormConfig, SiteConfig } from "../../../shared/config.ts";
import type { Consent, FieldValue, Lead, LeadSubmission, SubmitAnswer } from "../../../shared/lead.ts";
import { emailDomainType, score } from "../../../shared/scoring.ts";
import { enqueue } from "../delivery.ts";
import type { AppEnv, Env } from "../env.ts";
import { ApiError } from "../errors.ts";
import { leadId, messageId } from "../ids.ts";
import { readJsonBody } from "../pipeline/body.ts";
import { assertOrigin, siteCors } from "../pipeline/cors.ts";
import { dedupeKey, normalizeEmail } from "../pipeline/identity.ts";
import { parseSubmission, validateFields } from "../pipeline/validate.ts";
import { activeDestinations, getForm, getSite } from "../sites.ts";
import { storeFor } from "../stores/index.ts";
import type { IngestCommand } from "../stores/port.ts";

export const leads = new Hono<AppEnv>();

leads.use("*", siteCors());

leads.post("/", async (c) => {
  const submission = parseSubmission(await readJsonBody(c.req.raw));
  const site = getSite(submission.site);
  if (!site) throw new ApiError("not_found", `There is no site "${submission.site}".`);
  assertOrigin(c, site);
  const form = getForm(site, submission.form);
  if (!form) throw new ApiError("not_found", `Site "${site.id}" has no form "${submission.form}".`);
  const fields = validateFields(form, submission.fields);
  const now = new Date();
  const store = storeFor(c.env);

  const trap = form.fields.find(
    (f) => f.type === "honeypot" && typeof fields[f.name] === "string" && fields[f.name] !== "",
  );
  if (trap) {
    // Answer as if it were a person, so the bot learns nothing; keep a record, store and send nothing.
    await store.recordSpam({
      site: site.id,
      form: form.id,
      submissionId: submission.submissionId,
      reason: `honeypot:${trap.name}`,
      now: now.toISOString(),
    });
    const answer: SubmitAnswer = {
      leadId: leadId(),
      duplicate: false,
      score: 0,
      temperature: "cold",
      stage: "IQL",
    };
    return c.json(answer, 201);
  }

  const command = await buildIngest(c.env, site, form, submission, fields, now);
  let result: Awaited<ReturnType<typeof store.ingest>>;
  try {
    result = await store.ingest(command);
  } catch (error) {
    console.error("[leadcap] store unavailable", error);
    throw new ApiError(
      "unavailable",
      "The lead could not be stored right now. Please retry; it will not be duplicated.",
      {
        headers: { "Retry-After": "2" },
      },
    );
  }
  c.executionCtx.waitUntil(enqueue(c.env, result.deliveryIds));
  if (!result.fresh) c.header("Idempotent-Replayed", "true");
  return c.json(result.answer, result.answer.duplicate ? 200 : 201);
});

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
  now: Date,
): Promise<IngestCommand> {
  const nowIso = now.toISOString();
  const email = normalizeEmail(fields[emailField(form).name] as string);
  const domain = email.slice(email.lastIndexOf("@") + 1);
  const { firstTouch, lastTouch } = submission.attribution;
  const scored = score(
    {
      form: { id: form.id, intent: form.intent },
      fields,
      email: { domain, domainType: emailDomainType(domain) },
      engagement: submission.engagement,
      firstTouch,
      lastTouch,
    },
    site.scoring,
  );

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

  const lead: Lead = {
    id: leadId(now.getTime()),
    site: site.id,
    form: form.id,
    email,
    fields: kept,
    ...(consent.length ? { consent } : {}),
    ...scored,
    firstTouch,
    lastTouch,
    engagement: submission.engagement,
    page: submission.page,
    submissionCount: 1,
    createdAt: nowIso,
    updatedAt: nowIso,
  };
  // Newest non-empty value wins; an empty answer never erases what the person told us before.
  const nonEmpty = Object.fromEntries(Object.entries(kept).filter(([, v]) => v !== ""));
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
    dedupeKey: await dedupeKey(env.LEADCAP_SECRET, site.id, email),
    lead,
    mergePatch,
    deliveries: activeDestinations(site, env).map((d) => ({
      id: messageId(now.getTime()),
      destination: d.id,
    })),
    now: nowIso,
  };
}
