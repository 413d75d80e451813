/**
 * Widget analytics events (`POST /v1/events`): what was shown, opened and submitted, so the edge can
 * compute visitor → lead conversion per form, channel and campaign. Counted per day, never tied to a
 * person.
 */
import * as z from "zod/mini";

export const WIDGET_EVENT_TYPES = ["impression", "open", "close", "submit", "success", "error"] as const;
export type WidgetEventType = (typeof WIDGET_EVENT_TYPES)[number];

/** At most this many events in one request. */
export const MAX_EVENTS_PER_BATCH = 50;

export const WidgetEventSchema = z.object({
  type: z.enum(WIDGET_EVENT_TYPES),
  form: z.string().check(z.maxLength(64)),
  at: z.iso.datetime({ offset: true }),
  page: z.optional(z.string().check(z.maxLength(2000))),
});
export type WidgetEvent = z.infer<typeof WidgetEventSchema>;

export const EventBatchSchema = z.object({
  site: z.string().check(z.maxLength(64)),
  events: z.array(WidgetEventSchema).check(z.minLength(1), z.maxLength(MAX_EVENTS_PER_BATCH)),
  /**
   * The visitor's latest touch (shared/signals.ts TouchSchema), so events count per channel and
   * campaign too; not stored. One that does not parse is ignored, never a reason to drop the events.
   */
  touch: z.optional(z.unknown()),
});
export type EventBatch = z.infer<typeof EventBatchSchema>;
