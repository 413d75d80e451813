/**
 * The channel tester's touch: what the widget records landing on a URL from a referrer. It is the
 * widget's own parser (shared/touch.ts: the same UTM keys and click ids, the same clipping, a
 * same-site referrer dropped), so "Test a URL" cannot disagree with what the widget sends.
 */
import type { Touch } from "../../../shared/signals.ts";
import { touchFromUrl } from "../../../shared/touch.ts";

/**
 * The touch the widget would record landing on `url` (as typed: surrounding spaces ignored) from
 * `referrer`; null for text that is not an absolute URL, which a browser's address never is.
 */
export function landingTouch(url: string, referrer = "", now = new Date()): Touch | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  // The widget reads `location.href`, which the browser has already normalised as URL#href does.
  return touchFromUrl(parsed.href, referrer.trim(), now);
}
