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

/**
 * The batch as the widget sends it. The edge is more lenient than this: invalid events are dropped
 * and counted, never a reason to refuse the rest; `events` written as JSON text is decoded, and a
 * single event is a list of one; events past MAX_EVENTS_PER_BATCH are dropped.
 */
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

/** The answer to `POST /v1/events` (202). */
export const EventsAnswerSchema = z.object({
  /** Events counted (events naming a form the site does not have are accepted and ignored). */
  accepted: z.int(),
  /** Events left out: not an event of the expected shape, or past MAX_EVENTS_PER_BATCH. */
  dropped: z.int(),
});
export type EventsAnswer = z.infer<typeof EventsAnswerSchema>;
