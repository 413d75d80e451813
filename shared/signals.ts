/**
 * Attribution and engagement: what the widget observes about a visit. Schemas are zod/mini so the
 * Worker bundle stays small; the widget imports only the inferred types (type-only imports).
 */
import * as z from "zod/mini";

const text = (max: number) => z.string().check(z.maxLength(max));
const optionalText = (max: number) => z.optional(text(max));

// The names a touch's parameters and click ids go by (shared/touch.ts, where an address is read).
export { CLICK_ID_KEYS, UTM_KEYS, type UtmKey } from "./touch.ts";

/** One visit's attribution. A lead keeps its first touch for ever and its latest touch. */
export const TouchSchema = z.object({
  utm_source: optionalText(200),
  utm_medium: optionalText(200),
  utm_campaign: optionalText(200),
  utm_term: optionalText(200),
  utm_content: optionalText(200),
  /** Ad click ids (gclid, fbclid, msclkid, …), keyed by parameter name. */
  clickIds: z.optional(z.record(text(40), text(500))),
  /** document.referrer at landing; empty for direct visits. */
  referrer: optionalText(2000),
  /** The URL the visit landed on. */
  landingPage: text(2000),
  /** When the visit started, ISO 8601. */
  at: z.iso.datetime({ offset: true }),
  /** Set by the edge from the site's channel rules (what a client sends here is replaced). */
  channel: z.optional(z.string().check(z.maxLength(41))),
});
export type Touch = z.infer<typeof TouchSchema>;

export const AttributionSchema = z.object({
  firstTouch: TouchSchema,
  lastTouch: TouchSchema,
});
export type Attribution = z.infer<typeof AttributionSchema>;

const count = (max: number) => z.int().check(z.minimum(0), z.maximum(max));

/** How engaged the visitor was before submitting. */
export const EngagementSchema = z.object({
  /** Milliseconds the page was visible and the visitor active on it. */
  activeTimeMs: count(7 * 24 * 3600 * 1000),
  /** Deepest point of the page seen, 0–100. */
  maxScrollPct: count(100),
  /** Pages viewed in this session (including this one). */
  pageViews: z.optional(count(100_000)),
  /** Visits to the site, this one included. */
  visits: z.optional(count(100_000)),
  /** Pages viewed on the site in total, across visits. */
  totalPageViews: z.optional(count(10_000_000)),
  /** Milliseconds between the first interaction with the form and its submission. */
  formTimeMs: z.optional(count(7 * 24 * 3600 * 1000)),
  /** Fields the visitor started and then left empty or changed their mind on, by name. */
  abandonedFields: z.optional(z.array(z.string().check(z.maxLength(64))).check(z.maxLength(100))),
  /**
   * Key pages (named URL patterns from the config, e.g. pricing, docs) and how often each was viewed;
   * a plain list of names counts each once.
   */
  keyPages: z.optional(
    z.union([
      z.record(z.string().check(z.maxLength(200)), count(100_000)),
      z.pipe(
        z.array(z.string().check(z.maxLength(200))).check(z.maxLength(50)),
        z.transform((names: string[]) => Object.fromEntries(names.map((name) => [name, 1]))),
      ),
    ]),
  ),
});
export type Engagement = z.infer<typeof EngagementSchema>;
/** What a client may send (key pages as a list or as counts). */
export type EngagementInput = z.input<typeof EngagementSchema>;
