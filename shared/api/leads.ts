/**
 * The admin API's lead shapes: the leads list (query, page), a lead's events, stage history and
 * outcome, and the bodies that change a lead. One schema per shape; the edge validates with the
 * request schemas, the console reads with the inferred types, the OpenAPI document is generated from
 * both (shared/openapi.ts).
 */
import * as z from "zod/mini";
import { LEAD_EVENT_TYPES, LeadSchema, STAGES, SubmissionRecordSchema } from "../lead.ts";
import { LeadSortSchema } from "./requests.ts";

export {
  LEAD_SORTS,
  LeadEventsBodySchema,
  LeadQuerySchema,
  type LeadSort,
  LeadSortSchema,
  OutcomesBodySchema,
  StageBodySchema,
} from "./requests.ts";

/** Filters of the leads list as the store takes them (all optional, combined with AND). */
export const LeadFilterSchema = z.object({
  /** Contained in the email, name or company (case-insensitive). */
  q: z.optional(z.string()),
  temperatures: z.optional(z.readonly(z.array(z.string()))),
  stages: z.optional(z.readonly(z.array(z.string()))),
  form: z.optional(z.string()),
  /** First-touch channel. */
  channel: z.optional(z.string()),
  /** Created on or after this day, and before `to` (YYYY-MM-DD, UTC). */
  from: z.optional(z.string()),
  to: z.optional(z.string()),
  minScore: z.optional(z.number()),
  maxScore: z.optional(z.number()),
});
export type LeadFilter = z.infer<typeof LeadFilterSchema>;

export const ListLeadsOptionsSchema = z.object({
  limit: z.number(),
  cursor: z.optional(z.string()),
  filter: z.optional(LeadFilterSchema),
  /** @default "-created" */
  sort: z.optional(LeadSortSchema),
  /** Also count every lead the filter matches (costs a scan of them). */
  withTotal: z.optional(z.boolean()),
});
export type ListLeadsOptions = z.infer<typeof ListLeadsOptionsSchema>;

export const LeadPageSchema = z.object({
  leads: z.array(LeadSchema),
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: z.nullable(z.string()),
  /** How many leads the filter matches (the list answers it; stores answer it when asked). */
  total: z.optional(z.number()),
});
export type LeadPage = z.infer<typeof LeadPageSchema>;

export const SubmissionListSchema = z.object({ submissions: z.array(SubmissionRecordSchema) });

/** An event about a lead after capture: product usage (PQL), email engagement, … */
export const LeadEventRecordSchema = z.object({
  type: z.string(),
  at: z.string(),
  props: z.optional(z.record(z.string(), z.unknown())),
});
export type LeadEventRecord = z.infer<typeof LeadEventRecordSchema>;
export const LeadEventListSchema = z.object({ events: z.array(LeadEventRecordSchema) });

export const StageSchema = z.enum(STAGES);

export const StageChangeSchema = z.object({
  from: StageSchema,
  to: StageSchema,
  /** Why: "score", "pql", "outcome", or a person's reason from the console/CRM. */
  cause: z.string(),
  at: z.string(),
});
export type StageChange = z.infer<typeof StageChangeSchema>;
export const StageHistorySchema = z.object({ stages: z.array(StageChangeSchema) });

export const OUTCOMES = ["converted", "lost"] as const;

export const OutcomeSchema = z.object({
  leadId: z.string(),
  outcome: z.enum(OUTCOMES),
  at: z.string(),
  value: z.optional(z.number()),
});
export type Outcome = z.infer<typeof OutcomeSchema>;
/** `GET /v1/admin/leads/{id}/outcome`: the latest outcome recorded, or null. */
export const OutcomeAnswerSchema = z.object({ outcome: z.nullable(OutcomeSchema) });
export type OutcomeAnswer = z.infer<typeof OutcomeAnswerSchema>;

/**
 * A read-modify-write of one lead, applied only if the lead's `rev` is still the one read (else
 * nothing is written and the caller re-reads and tries again).
 */
export const LeadUpdateSchema = z.object({
  lead: LeadSchema,
  rev: z.number(),
  scoringVersion: z.optional(z.string()),
  events: z.optional(z.array(LeadEventRecordSchema)),
  stageChange: z.optional(StageChangeSchema),
  outcome: z.optional(OutcomeSchema),
  /** Outbox rows for this change, written with it; ids are the webhook-ids. */
  deliveries: z.optional(
    z.array(z.object({ id: z.string(), destination: z.string(), eventType: z.enum(LEAD_EVENT_TYPES) })),
  ),
});
export type LeadUpdate = z.infer<typeof LeadUpdateSchema>;

/** A lead with an outcome, its events and when the outcome happened (the CRM's time), for calibration. */
export const OutcomeRowSchema = z.object({
  lead: LeadSchema,
  outcome: z.enum(OUTCOMES),
  at: z.string(),
  events: z.array(LeadEventRecordSchema),
});
export type OutcomeRow = z.infer<typeof OutcomeRowSchema>;

/** What `POST /v1/admin/outcomes` recorded: per lead, and 404 when it knew none of them. */
export const OutcomesAnswerSchema = z.object({
  recorded: z.number(),
  unknown: z.number(),
  results: z.array(
    z.object({
      leadId: z.string(),
      recorded: z.boolean(),
      /** The lead's stage after the outcome. */
      stage: z.optional(z.string()),
    }),
  ),
});
export type OutcomesAnswer = z.infer<typeof OutcomesAnswerSchema>;
