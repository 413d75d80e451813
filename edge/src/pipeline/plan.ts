/**
 * Score → route → plan the write: what one validated, identified submission becomes. Pure: no
 * request, no store, no clock of its own (the time is an input); only the new ids are random. So
 * what a submission turns into is testable by itself (tests/unit/ingest-plan.test.ts).
 *
 * Whether the person is already a lead is decided inside the store's atomic write (that is what
 * makes dedupe safe under concurrency), so the plan covers both outcomes: the complete lead for a
 * new person, the patches for a known one, and outbox rows for either event.
 */
import { channelOf } from "../../../shared/channels.ts";
import type { Field, FormConfig, SiteConfig } from "../../../shared/config.ts";
import type { Consent, FieldValue, Lead, LeadSubmission, RepairNote } from "../../../shared/lead.ts";
import { score, scoringInputFor } from "../../../shared/scoring.ts";
import type { Env } from "../env.ts";
import { leadId, messageId } from "../ids.ts";
import { submissionDestinations } from "../routing.ts";
import type { IngestCommand } from "../stores/ports/ingest.ts";
import type { RateWindow } from "../stores/ports/ratelimit.ts";
import { rateWindow } from "./guard.ts";
import { type Identity, normalizeEmail } from "./identity.ts";

export interface PlanInput {
  site: SiteConfig;
  form: FormConfig;
  /** The submission as repaired (repair.ts): its signals (touches, engagement, page) are used as they are. */
  submission: LeadSubmission;
  /** The answers as validated (validate.ts): typed and normalized, hidden ones dropped. */
  answers: Record<string, FieldValue>;
  /** What was repaired or dropped around the answers; kept with the submission's record. */
  notes: RepairNote[];
  /** The person's key, and the device's when the rate limit counts it (identity.ts identify). */
  identity: Identity;
  now: Date;
  /** The site's scoring config's version (lifecycle.ts scoringVersion). */
  scoringVersion: string;
  /**
   * The Worker's variables, read as data: a destination whose `${NAME}` is not set is not routed to
   * (routing.ts logs a line for it: the plan's only side effect). Nothing else of the environment is used.
   */
  variables: Env;
}

/**
 * The one atomic write: lead (or merge), submission record, rate count and outbox rows. Its rate
 * window says when it ends (`retryAfter`, seconds), for the answer's Retry-After if the store refuses.
 */
export type IngestPlan = IngestCommand & { rateWindow?: (RateWindow & { retryAfter: number }) | undefined };

/** The email field: FormSchema guarantees a required, always shown one. */
export function emailField(form: FormConfig): Field {
  return form.fields.find((f) => f.type === "email" && f.required && !f.showWhen)!;
}

/** The email the person gave, as validated. */
export function emailOf(form: FormConfig, answers: Record<string, FieldValue>): string {
  return answers[emailField(form).name] as string;
}

export function planIngest(input: PlanInput): IngestPlan {
  const { site, form, submission, answers, notes, identity, now } = input;
  const nowIso = now.toISOString();
  const email = normalizeEmail(emailOf(form, answers));
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
    const value = answers[field.name];
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
  // Score: exactly as a stored lead is re-scored later (merges, events, rules changes).
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
  const command: IngestPlan = {
    site: site.id,
    submissionId: submission.submissionId,
    dedupeKey: identity.dedupeKey,
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
    scoringVersion: input.scoringVersion,
    // Route: one outbox row per destination the site's routes pick, written in the same write.
    deliveries: submissionDestinations(site, lead, input.variables).map((d) => ({
      id: messageId(now.getTime()),
      ...d,
    })),
    now: nowIso,
  };
  // Rate: counted against the device's key in the same write; over the limit, nothing is written.
  const limit = identity.rateKey && site.rateLimit;
  if (limit) command.rateWindow = { ...rateWindow(limit, now), key: identity.rateKey!, limit: limit.limit };
  return command;
}
