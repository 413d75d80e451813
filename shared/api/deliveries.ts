/**
 * The admin API's delivery shapes: deliveries (outbox rows) and their attempts, destinations' state
 * and health, pause / resume / test, replay (one, or in bulk).
 */
import * as z from "zod/mini";
import { LEAD_EVENT_TYPES } from "../lead.ts";

export { BulkReplayBodySchema, PauseBodySchema } from "./requests.ts";

export const DELIVERY_STATUSES = ["pending", "delivered", "dead"] as const;
export const DeliveryStatusSchema = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

const time = z.nullable(z.string());

export const DeliverySchema = z.object({
  id: z.string(),
  site: z.string(),
  leadId: z.string(),
  destination: z.string(),
  eventType: z.enum(LEAD_EVENT_TYPES),
  /** The JSON text sent (the same on every attempt). */
  payload: z.string(),
  status: DeliveryStatusSchema,
  attempts: z.number(),
  nextAttemptAt: z.string(),
  lastStatus: z.nullable(z.number()),
  lastError: z.nullable(z.string()),
  lastAttemptAt: time,
  createdAt: z.string(),
  deliveredAt: time,
  deadAt: time,
  replays: z.number(),
  /** Waiting for its paused destination to be resumed. */
  held: z.boolean(),
});
export type Delivery = z.infer<typeof DeliverySchema>;

/** A delivery as lists show it: without its payload. */
export const DeliverySummarySchema = z.omit(DeliverySchema, { payload: true });
export type DeliverySummary = z.infer<typeof DeliverySummarySchema>;

export const ATTEMPT_KINDS = ["delivered", "retry", "dead", "held"] as const;

export const AttemptSchema = z.object({
  at: z.string(),
  ok: z.boolean(),
  status: z.nullable(z.number()),
  latencyMs: z.number(),
  error: z.nullable(z.string()),
  /** The start of the receiver's answer. */
  responseExcerpt: z.nullable(z.string()),
  nextAttemptAt: time,
  outcome: z.enum(ATTEMPT_KINDS),
});
export type Attempt = z.infer<typeof AttemptSchema>;

export const DeliveryPageSchema = z.object({
  deliveries: z.array(DeliverySummarySchema),
  nextCursor: z.nullable(z.string()),
});
export type DeliveryPage = z.infer<typeof DeliveryPageSchema>;

/** `GET /v1/admin/deliveries/{id}`: the row with its payload parsed, and every attempt. */
export const DeliveryDetailSchema = z.extend(DeliverySummarySchema, {
  payload: z.unknown(),
  attempts: z.array(AttemptSchema),
});
export type DeliveryDetail = z.infer<typeof DeliveryDetailSchema>;

/** The query of `GET /v1/admin/deliveries` beside `site`, `limit` and `cursor`. */
export const DeliveryQuerySchema = z.object({
  status: z.optional(DeliveryStatusSchema),
  destination: z.optional(z.string()),
  /** A lead's id: its deliveries only. */
  lead: z.optional(z.string()),
  /** Created at or after this ISO 8601 time. */
  since: z.optional(z.string()),
  /** Created before this ISO 8601 time. */
  until: z.optional(z.string()),
});

export const DestinationStateSchema = z.object({
  paused: z.boolean(),
  pausedReason: z.nullable(z.string()),
  pausedAt: time,
  failingSince: time,
  consecutiveFailures: z.number(),
  lastSuccessAt: time,
  lastFailureAt: time,
});
export type DestinationState = z.infer<typeof DestinationStateSchema>;

/** `GET /v1/admin/destinations`: a site's destinations, never with their secrets. */
export const DestinationListSchema = z.object({
  destinations: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      /** False when a variable it names is unset: nothing is sent to it. */
      configured: z.boolean(),
    }),
  ),
});
export type DestinationList = z.infer<typeof DestinationListSchema>;

const deliveryCounts = z.object({ pending: z.number(), dead: z.number(), delivered: z.number() });

/** `GET /v1/admin/destinations/{id}`: state and deliveries by status. */
export const DestinationHealthSchema = z.extend(DestinationStateSchema, {
  id: z.string(),
  type: z.string(),
  configured: z.boolean(),
  deliveries: deliveryCounts,
});
export type DestinationHealth = z.infer<typeof DestinationHealthSchema>;

export const PauseAnswerSchema = z.object({
  id: z.string(),
  paused: z.boolean(),
  pausedReason: z.string(),
  pausedAt: z.string(),
});
export type PauseAnswer = z.infer<typeof PauseAnswerSchema>;

export const ResumeAnswerSchema = z.object({
  id: z.string(),
  /** Still true when the site's config pauses it. */
  paused: z.boolean(),
  /** Held deliveries sent now. */
  released: z.number(),
});
export type ResumeAnswer = z.infer<typeof ResumeAnswerSchema>;

/** `POST /v1/admin/destinations/{id}/test`: what the receiver answered to a made-up hot lead. */
export const TestResultSchema = z.object({
  ok: z.boolean(),
  status: z.nullable(z.number()),
  error: z.nullable(z.string()),
  retryAfter: z.nullable(z.number()),
  gone: z.boolean(),
  excerpt: z.nullable(z.string()),
  latencyMs: z.number(),
  webhookId: z.string(),
});
export type TestResult = z.infer<typeof TestResultSchema>;

export const ReplayAnswerSchema = z.object({
  replayed: z.number(),
  id: z.string(),
  status: DeliveryStatusSchema,
  message: z.optional(z.string()),
});
export type ReplayAnswer = z.infer<typeof ReplayAnswerSchema>;

export const BulkReplayAnswerSchema = z.object({
  replayed: z.number(),
  /** The call hit its limit: call again with the same body. */
  more: z.boolean(),
});
export type BulkReplayAnswer = z.infer<typeof BulkReplayAnswerSchema>;
