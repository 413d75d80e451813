/**
 * Capture health: the submissions the edge refused or repaired, per site, by reason, origin and day,
 * for POST /v1/leads (lead submissions) and POST /v1/events (the widget's analytics batches), so the
 * owner sees what never became a lead and can fix it (allow an origin, loosen a field) in one place.
 */
import * as z from "zod/mini";

/**
 * Why a submission was refused (or, `repaired`, accepted after fixing its signals). The API's error
 * codes, grouped the way an owner acts on them.
 */
export const CAPTURE_REASONS = [
  /** The page's origin is not on the site's allowed origins (403 origin_not_allowed). */
  "origin_not_allowed",
  /** What the person answered did not pass the form's rules (validation_failed, unprocessable). */
  "invalid_answers",
  /** Too many submissions from one client (rate_limited). */
  "rate_limited",
  /** Caught as a bot (honeypot, fill time, Turnstile): answered like a person, nothing kept. */
  "bot",
  /** Accepted, after malformed signals (attribution, engagement, page) were repaired or dropped. */
  "repaired",
  /** The body was over the size limit (payload_too_large). */
  "payload_too_large",
  /** The body could not be read: not JSON, not the expected shape, a content type not taken. */
  "invalid_request",
  /** The body named a form the site does not have (not_found, for a site that exists). */
  "unknown_form",
] as const;

export type CaptureReason = (typeof CAPTURE_REASONS)[number];

/** Which public write route a count is for. */
export const CAPTURE_ROUTES = ["leads", "events"] as const;
export type CaptureRoute = (typeof CAPTURE_ROUTES)[number];

export { NO_ORIGIN, OTHER_ORIGINS } from "./origins.ts";

const Reason = z.enum(CAPTURE_REASONS);
const Count = z.int().check(z.minimum(0));
const Day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));
/** Counts by reason; reasons with none are left out. */
const ByReason = z.partialRecord(Reason, Count);

export const CaptureHealthSchema = z.object({
  site: z.string(),
  /** First day (UTC, YYYY-MM-DD), included. */
  from: Day,
  /** Day after the last (UTC), excluded: as /v1/admin/metrics. */
  to: Day,
  /** Lead submissions (POST /v1/leads) refused or repaired in the range. */
  total: Count,
  byReason: ByReason,
  /** Days with any, oldest first. */
  days: z.array(z.object({ day: Day, total: Count, byReason: ByReason })),
  /** The widget's analytics batches (POST /v1/events) refused: no lead is lost, but the page is seen. */
  events: z.object({ total: Count, byReason: ByReason }),
  /**
   * The origins that sent what was refused or repaired, not allowed ones first, then the busiest.
   * `""` is no Origin header (a server or a no-JS form), `"*"` other origins past a day's limit,
   * `"null"` a sandboxed frame or a local file.
   */
  origins: z.array(
    z.object({
      origin: z.string(),
      /** Lead submissions from it refused or repaired. */
      submissions: Count,
      /** Analytics batches from it refused. */
      events: Count,
      byReason: ByReason,
      /** ISO time of the newest. */
      lastSeen: z.string(),
      /** On the site's allowed origins now. */
      allowed: z.boolean(),
    }),
  ),
});
export type CaptureHealth = z.infer<typeof CaptureHealthSchema>;

/** POST /v1/admin/sites/{site}/allowed-origins */
export const AllowOriginBodySchema = z.object({
  /** `scheme://host[:port]`, http or https, no path (shared/origins.ts). */
  origin: z.string().check(z.maxLength(300)),
});
