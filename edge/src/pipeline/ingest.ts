/**
 * The ingest pipeline: a submission, already read and repaired (body.ts, repair.ts) and checked
 * against its site's origins (cors.ts), becomes a durably written lead. One readable sequence:
 *
 *   validate  validate.ts   the answers against the form: the only thing that can refuse a lead
 *   guard     guard.ts      bots (honeypot, time trap, Turnstile): answered like a person, kept as spam
 *   identify  identity.ts   the person's dedupe key, and the device's rate key (HMACs, never raw)
 *   score → route → plan    plan.ts (pure): the lead, its outbox rows, the one atomic write
 *   write     the store     lead + submission + outbox rows, the rate window counted in the same write
 *   after     waitUntil     deliveries enqueued; a merged lead re-scored as a whole
 *
 * It returns only after the lead is durably written. The answer carries the repair notes (the same
 * for a retry of the same body: the repair is deterministic).
 */
import type { FormConfig, SiteConfig } from "../../../shared/config.ts";
import type { FieldValue, LeadSubmission, RepairNote, SubmitAnswer } from "../../../shared/lead.ts";
import { enqueue } from "../delivery.ts";
import type { Env } from "../env.ts";
import { ApiError } from "../errors.ts";
import { leadId } from "../ids.ts";
import { StoreError } from "../stores/errors.ts";
import { storeFor } from "../stores/index.ts";
import type { IngestStore } from "../stores/ports/ingest.ts";
import { isDisposableDomain } from "./contact.ts";
import { botVerdict, rateLimitedClient } from "./guard.ts";
import { identify } from "./identity.ts";
import { reviseLead, scoringVersion } from "./lifecycle.ts";
import { emailField, emailOf, type IngestPlan, planIngest } from "./plan.ts";
import { repairAnswers } from "./repair.ts";
import { validateFields } from "./validate.ts";

/** A submission as the route hands it over. */
export interface Submitted {
  site: SiteConfig;
  form: FormConfig;
  submission: LeadSubmission;
  /** What repairing the body changed or dropped. */
  notes: RepairNote[];
  /** Who is submitting (guard.ts clientOf): for the rate limit and Turnstile. */
  client: string;
}

/**
 * What became of it: `kept` (written now), `replayed` (a retry of a submission id already kept:
 * `answer` is the first answer, nothing was written), or `spam` (answered like a person, recorded).
 */
export interface Ingested {
  outcome: "kept" | "replayed" | "spam";
  answer: SubmitAnswer;
}

export async function ingest(
  env: Env,
  ctx: { waitUntil(promise: Promise<unknown>): void },
  { site, form, submission, notes, client }: Submitted,
): Promise<Ingested> {
  // Validate: the person's answers are the only reason a lead is refused.
  const answers = validate(site, form, submission, notes);
  const now = new Date();
  const store = storeFor(env);

  // Guard: a bot is recorded as spam and answered like a person; nothing is stored or sent.
  const spamReason = await botVerdict(env, form, submission, answers, client);
  if (spamReason) {
    await store.recordSpam({
      site: site.id,
      form: form.id,
      submissionId: submission.submissionId,
      reason: spamReason,
      now: now.toISOString(),
    });
    // The same answer as a new, cold lead's: the bot learns nothing.
    const answer = {
      leadId: leadId(),
      duplicate: false,
      score: 0,
      temperature: "cold",
      stage: "IQL",
    } as const;
    return { outcome: "spam", answer: withNotes(answer, notes) };
  }

  // Identify: the person (dedupe) and, when the rate limit counts it, the device.
  const identity = await identify(
    env.LEADCAP_SECRET,
    site,
    emailOf(form, answers),
    rateLimitedClient(site, client),
  );
  // Score → route → plan the write (pure), then write it: one atomic write, answered only after it.
  const command = planIngest({
    site,
    form,
    submission,
    answers,
    notes,
    identity,
    now,
    scoringVersion: scoringVersion(site),
    variables: env,
  });
  const result = await write(store, command);

  // After the answer: the deliveries, and a merged lead's re-score.
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
  return { outcome: result.fresh ? "kept" : "replayed", answer: withNotes(result.answer, notes) };
}

/** The answers, validated against the form (and, when the site says so, no throwaway address). */
function validate(
  site: SiteConfig,
  form: FormConfig,
  submission: LeadSubmission,
  notes: RepairNote[],
): Record<string, FieldValue> {
  const answers = validateFields(form, repairAnswers(form, submission.fields, notes));
  if (site.identity.rejectDisposable) {
    const email = String(answers[emailField(form).name]);
    if (isDisposableDomain(email.slice(email.lastIndexOf("@") + 1))) {
      throw new ApiError("validation_failed", "Some fields need attention.", {
        fields: {
          [emailField(form).name]: "Use a permanent email address; disposable ones cannot be accepted.",
        },
      });
    }
  }
  return answers;
}

/**
 * The one atomic write. Over the rate limit (a StoreError, answered 429 with when to retry by
 * app.onError like every store error) nothing was written; any other failure of the store: 503, retry.
 */
async function write(store: IngestStore, command: IngestPlan) {
  try {
    return await store.ingest(command);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    console.error("[leadcap] store unavailable", error);
    throw new ApiError(
      "unavailable",
      "The lead could not be stored right now. Please retry; it will not be duplicated.",
      { headers: { "Retry-After": "2" } },
    );
  }
}

function withNotes(answer: SubmitAnswer, notes: RepairNote[]): SubmitAnswer {
  return notes.length ? { ...answer, notes } : answer;
}
