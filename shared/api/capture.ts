/**
 * The admin API's capture-health shapes (what the public write routes refused or repaired), and the
 * counters the capture store keeps for them.
 */
import * as z from "zod/mini";
import { CAPTURE_REASONS, CAPTURE_ROUTES } from "../capture.ts";

export { AllowOriginBodySchema, type CaptureHealth, CaptureHealthSchema } from "../capture.ts";
export { DayRangeQuerySchema as CaptureHealthQuerySchema } from "./metrics.ts";

export const CaptureEntrySchema = z.object({
  route: z.enum(CAPTURE_ROUTES),
  reason: z.enum(CAPTURE_REASONS),
  /** The Origin header as sent ("" without one). */
  origin: z.string(),
  /** ISO time; its UTC day is the day counted. */
  at: z.string(),
  /** @default 1 */
  count: z.optional(z.number()),
});
export type CaptureEntry = z.infer<typeof CaptureEntrySchema>;

export const CaptureRowSchema = z.object({
  day: z.string(),
  route: z.enum(CAPTURE_ROUTES),
  reason: z.enum(CAPTURE_REASONS),
  origin: z.string(),
  count: z.number(),
  /** ISO time of the newest. */
  lastSeen: z.string(),
});
export type CaptureRow = z.infer<typeof CaptureRowSchema>;
