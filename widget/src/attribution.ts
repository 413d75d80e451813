/**
 * Attribution: where this visitor came from. No Preact here: this runs eagerly on every page so the
 * first touch is recorded on landing, not only when someone submits a form.
 *
 * A touch is one visit's attribution. The visit's touch lives in sessionStorage so that a visitor who
 * lands from a campaign and submits two pages later is still attributed to the campaign; a page that
 * brings its own signals (a UTM tag, a click id or a referrer from another site) starts a new touch.
 * The first touch is kept in localStorage for 90 days.
 */
import type { Attribution, Touch } from "../../shared/signals.ts";
import { touchFromUrl, UTM_KEYS } from "../../shared/touch.ts";
import { type KeyValue, readJson, storageArea, writeJson } from "./storage.ts";

export { touchFromUrl };

export const FIRST_TOUCH_KEY = "leadcap:first-touch";
export const VISIT_TOUCH_KEY = "leadcap:touch";
/** How long a first touch counts, like the usual 90-day attribution window. */
export const FIRST_TOUCH_TTL_MS = 90 * 24 * 60 * 60 * 1000;

interface StoredFirstTouch {
  touch: Touch;
  /** Epoch ms after which the stored touch no longer counts. */
  expires: number;
}

/** Does this page start a new touch rather than continue the visit's? (Truthy if so.) */
const bringsSignals = (touch: Touch) =>
  touch.referrer || touch.clickIds || UTM_KEYS.some((key) => touch[key]);

/** Storage can hold anything (old versions, hand edits): only reuse what looks like a touch. */
function isTouch(value: unknown): value is Touch {
  return typeof (value as Touch | null)?.landingPage === "string" && typeof (value as Touch).at === "string";
}

/**
 * First and last touch for this page view, persisting what later pages need. Storage that is missing
 * or throws only means every page view is its own first touch.
 */
export function resolveAttribution(
  url: string,
  referrer: string,
  now: Date,
  local: KeyValue | undefined = storageArea("localStorage"),
  session: KeyValue | undefined = storageArea("sessionStorage"),
): Attribution {
  const here = touchFromUrl(url, referrer, now);
  const visit = readJson<Touch>(session, VISIT_TOUCH_KEY);
  let lastTouch = here;
  if (isTouch(visit) && !bringsSignals(here)) lastTouch = visit;
  else writeJson(session, VISIT_TOUCH_KEY, here);

  const stored = readJson<StoredFirstTouch>(local, FIRST_TOUCH_KEY);
  if (stored && isTouch(stored.touch) && stored.expires > now.getTime()) {
    return { firstTouch: stored.touch, lastTouch };
  }
  const first: StoredFirstTouch = { touch: lastTouch, expires: now.getTime() + FIRST_TOUCH_TTL_MS };
  writeJson(local, FIRST_TOUCH_KEY, first);
  return { firstTouch: lastTouch, lastTouch };
}

let current: Attribution | undefined;

/**
 * Resolves and remembers this page view's attribution; the loader calls it on every page, with the
 * URL the visitor landed on (an SPA may have dropped its UTM parameters by the time tracking starts).
 */
export function recordAttribution(href = location.href): Attribution {
  current = resolveAttribution(href, document.referrer, new Date());
  return current;
}

/** This page view's attribution, shared by every form on the page. */
export function currentAttribution(): Attribution {
  return current ?? recordAttribution();
}
