/** The admin API's data-subject requests: everything stored about a person, and the erasure receipt. */
import * as z from "zod/mini";
import { LeadSchema, SubmissionRecordSchema } from "../lead.ts";
import { LeadEventRecordSchema, OutcomeSchema, StageChangeSchema } from "./leads.ts";

/** Everything stored about one person (one lead per site), for a data subject's access request. */
export const PersonExportSchema = z.object({
  lead: LeadSchema,
  submissions: z.array(SubmissionRecordSchema),
  events: z.array(LeadEventRecordSchema),
  stages: z.array(StageChangeSchema),
  outcome: z.nullable(OutcomeSchema),
  /** Outbox rows for the lead: where it was sent, when, and the payload of those not yet delivered. */
  deliveries: z.array(
    z.object({
      id: z.string(),
      destination: z.string(),
      eventType: z.string(),
      status: z.string(),
      createdAt: z.string(),
      payload: z.optional(z.unknown()),
    }),
  ),
});
export type PersonExport = z.infer<typeof PersonExportSchema>;

/** `GET /v1/admin/people/{email}/export`: the export, with the site and when it was made. */
export const PersonExportAnswerSchema = z.extend(PersonExportSchema, {
  site: z.string(),
  exportedAt: z.string(),
});
export type PersonExportAnswer = z.infer<typeof PersonExportAnswerSchema>;

/** What an erasure removed, recorded (without the address) and returned. */
export const ErasureReceiptSchema = z.object({
  id: z.string(),
  site: z.string(),
  at: z.string(),
  removed: z.object({
    leads: z.number(),
    submissions: z.number(),
    events: z.number(),
    stages: z.number(),
    outcomes: z.number(),
    deliveries: z.number(),
  }),
});
export type ErasureReceipt = z.infer<typeof ErasureReceiptSchema>;
