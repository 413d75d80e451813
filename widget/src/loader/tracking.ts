/**
 * Whether the visit is tracked (storage, attribution, engagement), and tracking itself. Nothing is
 * stored or tracked before the site's settings are known: consent mode may be on. Then the page's
 * say (`leadcap('consent', …)`), Global Privacy Control and Do Not Track decide, with the script
 * tag's `data-*` overriding the site's settings.
 */
import type { Tracking } from "../../../shared/config.ts";
import { recordAttribution } from "../attribution.ts";
import { startEngagement, stopEngagement, trackPageView } from "../engagement.ts";
import { OUTBOX_KEY } from "../outbox.ts";
import { allowStorage, storageArea } from "../storage.ts";
import { nextTask } from "../tasks.ts";

/** The script tag's overrides of the site's tracking settings; left out, the site's apply. */
export interface TrackingOptions {
  /** "required" is consent mode: store and track nothing until `leadcap('consent', true)`. */
  consent?: "required" | "off" | undefined;
  /** Honour Global Privacy Control / Do Not Track: no tracking at all when the browser sends them. */
  gpc?: boolean | undefined;
  dnt?: boolean | undefined;
  /** Key pages for engagement: name → URL pattern. */
  keyPages?: Record<string, string> | undefined;
}

export interface Tracker {
  /** Whether the visit is tracked now. */
  on(): boolean;
  /**
   * The site's settings (undefined: unreadable, so consent mode) arrived: attribution and
   * engagement (storage to open, read and write) wait for `first` to settle, then take a task each.
   */
  settle(site: Promise<Partial<Tracking> | undefined>, first: Promise<unknown>): Promise<unknown>;
  /** An SPA route change: a page view, or, before the settings say whether to track, one kept. */
  view(href: string): void;
  /** `leadcap('consent', given)`: given only if `true`; withdrawn, what tracking stored is dropped. */
  consent(given: unknown): void;
  /** The remover: tracking stops (what it stored stays). Call `gone` true first. */
  remove(): void;
}

/**
 * Starts with storage off; `settle` (and consent) turn tracking on. `gone`: the loader was destroyed,
 * so settings or tasks that arrive late start nothing.
 */
export function tracking(options: TrackingOptions, gone: () => boolean): Tracker {
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  /** The site's settings, once known (the script tag's `options` override them). */
  let site: Partial<Tracking> | undefined;
  /** What the page said through leadcap('consent', …), if anything. */
  let consented: boolean | undefined;
  let on = false;
  /** Where the visitor landed: tracking starts later, maybe after an SPA has moved on. */
  const landing = location.href;
  /** SPA route changes before the site's settings arrived: page views to count if tracking starts. */
  const early: string[] = [];
  /** Engagement, once per page (startEngagement keeps the first tracker), then the early views. */
  const engage = () => {
    if (!on || gone()) return;
    startEngagement({ keyPages: options.keyPages ?? site!.keyPages, href: landing });
    for (const href of early.splice(0)) trackPageView(href);
  };
  /** `later`: the site's settings just arrived, and this is when tracking may start. */
  const set = (later?: Promise<unknown>) => {
    if (!site) return allowStorage(false);
    const optedOut =
      ((options.gpc ?? site.honorGpc ?? true) && nav.globalPrivacyControl) ||
      ((options.dnt ?? site.honorDnt) && nav.doNotTrack === "1");
    const now = (consented ?? (options.consent ?? site.consentMode) !== "required") && !optedOut;
    const was = on;
    allowStorage(now);
    on = now;
    if (!now) early.length = 0; // not tracked, now or before
    if (now && !was) {
      const attribute = () => void (on && !gone() && recordAttribution(landing));
      if (later) return later.then(nextTask).then(attribute).then(nextTask).then(engage);
      attribute();
      engage();
    }
    if (!now && was) stopEngagement();
  };
  set();
  return {
    on: () => on,
    settle: (settings, first) =>
      settings
        .catch(() => undefined)
        .then((served: Partial<Tracking> = { consentMode: "required" }) => {
          site = served;
          if (!gone()) return set(first);
        }),
    view(href) {
      // The landing page view first, if tracking is on but has not started yet.
      if (site) {
        engage();
        trackPageView();
      } else early.push(href);
    },
    consent(given) {
      consented = given === true;
      if (!consented) forget();
      set();
    },
    remove: stopEngagement,
  };
}

/** Consent withdrawn: drop what tracking stored (the outbox keeps the visitor's own submissions). */
function forget(): void {
  for (const kind of ["localStorage", "sessionStorage"] as const) {
    const storage = storageArea(kind, true) as Storage | undefined;
    for (const key of Object.keys(storage ?? {}))
      if (key.startsWith("leadcap:") && key !== OUTBOX_KEY) storage!.removeItem(key);
  }
}
