/**
 * LeadSubmission is what the widget sends; Lead is what the store keeps and destinations receive.
 * A contract test parses the widget's real payload with LeadSubmissionSchema so the two never drift.
 */
import * as z from "zod/mini";
import { AttributionSchema, EngagementSchema, TouchSchema } from "./signals.ts";

export const TEMPERATURES = ["cold", "warm", "hot"] as const;
export type Temperature = (typeof TEMPERATURES)[number];

export const STAGES = ["IQL", "MQL", "SQL", "PQL", "customer"] as const;
export type Stage = (typeof STAGES)[number];

/** Idempotency key the widget generates per submission; a retry reuses it. */
export const SubmissionIdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, "8–64 letters, digits, - or _"));

/** A field value as the widget sends it: text, a number, a checkbox state, or ticked options. */
export const FieldValueSchema = z.union([
  z.string().check(z.maxLength(10_000)),
  z.boolean(),
  z.number(),
  z.array(z.string().check(z.maxLength(200))).check(z.maxLength(200)),
]);
export type FieldValue = z.infer<typeof FieldValueSchema>;

export const PageSchema = z.object({
  url: z.string().check(z.maxLength(2000)),
  title: z.optional(z.string().check(z.maxLength(500))),
  /** The page's language (`<html lang>`), if set. */
  language: z.optional(z.string().check(z.maxLength(35))),
});
export type Page = z.infer<typeof PageSchema>;

/**
 * The submission as the widget sends it, and as the pipeline takes it. The edge does not refuse a body
 * whose signals (attribution, engagement, page, Turnstile token, submission id) differ from this: it
 * repairs or drops them with a note (edge/src/pipeline/repair.ts); only `site`, `form` and `fields`
 * are refused when malformed.
 */
export const LeadSubmissionSchema = z.object({
  site: z.string().check(z.maxLength(64)),
  form: z.string().check(z.maxLength(64)),
  submissionId: SubmissionIdSchema,
  fields: z.record(z.string().check(z.maxLength(64)), FieldValueSchema),
  attribution: AttributionSchema,
  engagement: EngagementSchema,
  page: PageSchema,
  /** Cloudflare Turnstile token, for forms that require one. */
  turnstileToken: z.optional(z.string().check(z.maxLength(2048))),
});
export type LeadSubmission = z.infer<typeof LeadSubmissionSchema>;

/**
 * What the edge did with a malformed signal around the answers (attribution, engagement, page, ids):
 * repaired it where the intent was clear, or dropped it. The lead is kept either way; the notes are
 * stored with the submission and shown on the lead's page.
 */
export const RepairNoteSchema = z.object({
  /** Where in the submission, dotted: `engagement.abandonedFields`. */
  path: z.string(),
  action: z.enum(["repaired", "dropped"]),
  /** Why, in plain words: "expected a list, got text". */
  reason: z.string(),
});
export type RepairNote = z.infer<typeof RepairNoteSchema>;

/** At most this many notes are kept per submission: a body full of garbage does not fill the store. */
export const MAX_REPAIR_NOTES = 20;

/** One fired scoring rule: shown to salespeople as "label +points". */
export const ReasonSchema = z.object({
  rule: z.string(),
  label: z.string(),
  points: z.number(),
});
export type Reason = z.infer<typeof ReasonSchema>;

export const ConsentSchema = z.object({
  /** The field that carried it. */
  field: z.string(),
  /** The exact consent text the visitor saw. */
  text: z.string(),
  version: z.optional(z.string()),
  at: z.string(),
});
export type Consent = z.infer<typeof ConsentSchema>;

export const LeadSchema = z.object({
  id: z.string(),
  site: z.string(),
  form: z.string(),
  /** Normalized (trimmed, lower-case) email: the identity a lead is deduplicated on. */
  email: z.string(),
  fields: z.record(z.string(), FieldValueSchema),
  consent: z.optional(z.array(ConsentSchema)),
  score: z.number(),
  temperature: z.enum(TEMPERATURES),
  stage: z.enum(STAGES),
  reasons: z.array(ReasonSchema),
  /** The score's parts, each 0–100: who they are, what they did, what they asked for. */
  components: z.optional(z.object({ fit: z.number(), engagement: z.number(), intent: z.number() })),
  firstTouch: TouchSchema,
  lastTouch: TouchSchema,
  engagement: EngagementSchema,
  page: PageSchema,
  /** Every submission merged into this lead, the first included. */
  submissionCount: z.number(),
  /**
   * Distinct conversions: a repeat inside the site's dedupe window is "the same lead again", one
   * after it is a new conversion of the same person. Both count in submissionCount.
   */
  conversions: z.optional(z.number()),
  lastConversionAt: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Lead = z.infer<typeof LeadSchema>;

/** The answer to `POST /v1/leads`: 201 for a new lead, 200 for a duplicate or a retried submission. */
export const SubmitAnswerSchema = z.object({
  leadId: z.string(),
  /** True when the email already belonged to a lead of this site: the submission merged into it. */
  duplicate: z.boolean(),
  score: z.number(),
  temperature: z.enum(TEMPERATURES),
  stage: z.enum(STAGES),
  /** What was repaired or dropped in the signals around the answers (absent when nothing was). */
  notes: z.optional(z.array(RepairNoteSchema)),
});
export type SubmitAnswer = z.infer<typeof SubmitAnswerSchema>;

/** One submission as received, kept as the lead's history (touch, page, answers). */
export const SubmissionRecordSchema = z.object({
  submissionId: z.string(),
  form: z.string(),
  fields: z.record(z.string(), FieldValueSchema),
  touch: TouchSchema,
  engagement: EngagementSchema,
  page: PageSchema,
  at: z.string(),
  /** What the edge repaired or dropped in this submission's signals (absent when nothing was). */
  notes: z.optional(z.array(RepairNoteSchema)),
});
export type SubmissionRecord = z.infer<typeof SubmissionRecordSchema>;

/** Event types carried by webhook deliveries. */
/**
 * `lead.created`: a new lead; `lead.merged`: a repeat submission merged into an existing lead;
 * `lead.updated`: its temperature changed otherwise (events, re-scoring); `lead.stage_changed`: its
 * stage changed (score, PQL rule, a salesperson, an outcome).
 */
/** What happens to a lead that destinations and routes hear about. */
export const LEAD_EVENT_TYPES = [
  "lead.created",
  "lead.merged",
  "lead.updated",
  "lead.stage_changed",
] as const;
export type LeadEventType = (typeof LEAD_EVENT_TYPES)[number];

/** The JSON body of a webhook delivery (Standard Webhooks: type, timestamp, data). */
export interface LeadEvent {
  type: LeadEventType;
  timestamp: string;
  data: Lead;
}
