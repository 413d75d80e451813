/**
 * Ingest: a submission stored atomically (idempotency record, lead new or merged, history, outbox
 * rows) or not at all, and the record of a bot's submission. What the submission route needs.
 */
import type { Lead, SubmissionRecord, SubmitAnswer } from "../../../../shared/lead.ts";
import type { AttemptContext } from "./delivery.ts";
import type { RateWindow } from "./ratelimit.ts";

export interface IngestCommand {
  site: string;
  submissionId: string;
  dedupeKey: string;
  /** The complete lead as it would be stored if this email is new to the site. */
  lead: Lead;
  /**
   * What a repeat submission changes on an existing lead (RFC 7396 merge patch of the lead doc):
   * newest non-empty field values, latest touch, engagement, page, updatedAt. First touch, id and
   * createdAt are never in it.
   */
  mergePatch: Partial<Lead>;
  /** Values that only fill what the lead does not have yet (fields whose merge policy is `first`). */
  fillPatch: Partial<Lead>;
  /** What this submission carried, kept as the lead's history. */
  record: SubmissionRecord;
  /** The scoring config the lead was scored with (see lifecycle.scoringVersion). */
  scoringVersion: string;
  /** A repeat later than this many days after the last conversion counts as a new conversion. */
  dedupeWindowDays: number;
  /** Counted only if the submission id is new; over the limit, nothing is written. */
  rateWindow?: RateWindow | undefined;
  /**
   * One outbox row per destination; ids are the webhook-ids. A row with `when` is written only if the
   * submission turns out to be that event (routes can tell a new lead from a repeat, which only the
   * atomic write decides).
   */
  deliveries: SubmissionDelivery[];
  now: string;
}

export interface SubmissionDelivery {
  id: string;
  destination: string;
  when?: "lead.created" | "lead.merged" | undefined;
}

/** The rows an ingest wrote, from its answer: those for any event, and those for the one it was. */
export function writtenDeliveries(deliveries: SubmissionDelivery[], answer: SubmitAnswer): string[] {
  const event = answer.duplicate ? "lead.merged" : "lead.created";
  return deliveries.filter((d) => !d.when || d.when === event).map((d) => d.id);
}

/**
 * What a repeat submission's score changes on the lead it merges into (the score, temperature, stage,
 * reasons, components): every adapter applies it inside the atomic write when it scores higher.
 */
export function scorePatchOf(lead: Lead) {
  return {
    score: lead.score,
    temperature: lead.temperature,
    stage: lead.stage,
    reasons: lead.reasons,
    ...(lead.components ? { components: lead.components } : {}),
  };
}

export interface IngestResult {
  answer: SubmitAnswer;
  /** False when the submission id had been seen: `answer` is the first answer, nothing was written. */
  fresh: boolean;
  /** Outbox rows written by this call (empty for a replayed submission id). */
  deliveryIds: string[];
  /**
   * Those rows as written, with their destination's state, when the store read them in the same
   * write (D1): the first attempt starts from them instead of reading them back.
   */
  attempts?: AttemptContext[];
}

/** A bot's submission: kept as a record (metrics and capture health count them), nothing stored. */
export interface SpamEntry {
  site: string;
  form: string;
  submissionId: string;
  reason: string;
  now: string;
}

export interface IngestStore {
  /**
   * Stores a submission atomically: idempotency record, lead (new or merged) and outbox rows, or
   * nothing. Throws RateLimitedError (stores/errors.ts) when `rateWindow` is full.
   */
  ingest(command: IngestCommand): Promise<IngestResult>;
  recordSpam(entry: SpamEntry): Promise<void>;
}
