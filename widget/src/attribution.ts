/**
 * Attribution: where this visitor came from. No Preact here: this runs eagerly on every page so the
 * first touch is recorded on landing, not only when someone submits a form.
 *
 * A touch is one visit's attribution. The visit's touch lives in sessionStorage so that a visitor who
 * lands from a campaign and submits two pages later is still attributed to the campaign; a page that
 * brings its own signals (a UTM tag, a click id or a referrer from another site) starts a new touch.
 * The first touch is kept in localStorage for 90 days.
 */
import type { Attribution, Touch, UtmKey } from "../../shared/signals.ts";
import { type KeyValue, readJson, storageArea, writeJson } from "./storage.ts";

const UTM_KEYS: readonly UtmKey[] = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];

/** Ad click ids worth keeping: Google (three flavours), Meta, Microsoft, TikTok, LinkedIn. */
const CLICK_ID_KEYS = ["gclid", "gbraid", "wbraid", "fbclid", "msclkid", "ttclid", "li_fat_id"];

export const FIRST_TOUCH_KEY = "leadcap:first-touch";
export const VISIT_TOUCH_KEY = "leadcap:touch";
/** How long a first touch counts, like the usual 90-day attribution window. */
export const FIRST_TOUCH_TTL_MS = 90 * 24 * 60 * 60 * 1000;

interface StoredFirstTouch {
  touch: Touch;
  /** Epoch ms after which the stored touch no longer counts. */
  expires: number;
}

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

/** Does this page start a new touch rather than continue the visit's? */
function bringsSignals(touch: Touch): boolean {
  return Boolean(touch.referrer || touch.clickIds || UTM_KEYS.some((key) => touch[key]));
}

/** Storage can hold anything (old versions, hand edits): only reuse what looks like a touch. */
function isTouch(value: unknown): value is Touch {
  const touch = value as Touch | null;
  return typeof touch?.landingPage === "string" && typeof touch.at === "string";
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
