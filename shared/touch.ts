/**
 * The touch a page address carries: its UTM parameters, its ad click ids, and the referrer when it
 * is another site. Written once for the widget (every page view, in the eager loader) and the edge (a
 * touch rebuilt for a submission that came without a usable one, the no-JS form's Referer), so both
 * read an address alike. Plain code, no zod: it ships in the widget's loader.
 */
import type { Touch } from "./signals.ts";

/** The UTM parameters a touch records, in their well-known names. */
export const UTM_KEYS = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"] as const;
export type UtmKey = (typeof UTM_KEYS)[number];

/** Ad click ids worth keeping: Google (three flavours), Meta, Microsoft, TikTok, LinkedIn. */
export const CLICK_ID_KEYS = [
  "gclid",
  "gbraid",
  "wbraid",
  "fbclid",
  "msclkid",
  "ttclid",
  "li_fat_id",
] as const;

/** Values longer than the edge accepts would get the whole submission refused: cut them instead. */
const clip = (value: string, max: number) => value.slice(0, max);

/** The touch a page view carries, from its URL and referrer. Pure. */
export function touchFromUrl(url: string, referrer: string, now: Date): Touch {
  const touch: Touch = { landingPage: clip(url, 2000), at: now.toISOString() };
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // Not a URL we can read: keep the landing page and time only.
  }
  const param = (key: string) => parsed?.searchParams.get(key)?.trim();
  for (const key of UTM_KEYS) {
    const value = param(key);
    if (value) touch[key] = clip(value, 200);
  }
  const clickIds: Record<string, string> = {};
  for (const key of CLICK_ID_KEYS) {
    const value = param(key);
    if (value) clickIds[key] = clip(value, 500);
  }
  if (Object.keys(clickIds).length) touch.clickIds = clickIds;
  if (referrer && !referrer.startsWith(`${parsed?.origin}/`)) touch.referrer = clip(referrer, 2000);
  return touch;
}
