/**
 * Engagement: how much attention the visitor gave the page. No Preact here; it runs eagerly.
 *
 * Cost matters more than precision: handlers are passive and do a few comparisons on timestamps (no
 * timers). The one layout read (scroll depth) happens at most once per animation frame while the
 * visitor scrolls, and when a snapshot is taken; never on load, where it would force the page's
 * first layout early.
 *
 * Active time: after each interaction the visitor counts as present until the next one, for at most
 * IDLE_MS; a hidden tab counts nothing. So each interaction adds min(gap to the next one, IDLE_MS).
 */
import type { Engagement } from "../../shared/signals.ts";
import { listen } from "./listen.ts";
import { type KeyValue, readJson, storageArea, writeJson } from "./storage.ts";
import { urlMatches } from "./urls.ts";

/** Time after the last interaction during which the visitor still counts as active. */
export const IDLE_MS = 15_000;
/** Inactivity after which the next page view starts a new visit (the usual analytics session). */
export const VISIT_GAP_MS = 30 * 60_000;
/** How often, at most, an active page refreshes the visit's last-activity time in storage. */
const PERSIST_EVERY_MS = 60_000;
const MAX_COUNT = 100_000;

export const VISITS_KEY = "leadcap:visits";
export const VIEWS_KEY = "leadcap:views";

/** Interactions that prove someone is there. `scroll` also drives the scroll depth. */
const ACTIVITY_EVENTS = ["pointerdown", "pointermove", "keydown", "touchstart", "wheel", "scroll"];
const LISTENER = { capture: true, passive: true } as const;

interface VisitState {
  count: number;
  /** Page views on the site, all visits. */
  total?: number;
  /** Key pages (by name) the visitor has seen, with how often. */
  keys?: Record<string, number>;
  /** Epoch ms of the last activity seen on any page of the site. */
  last: number;
}

interface ViewState {
  /** The visit these page views belong to: a new visit restarts the count. */
  visit: number;
  views: number;
}

export interface EngagementOptions {
  /** Key pages: name → URL pattern (pricing → `/pricing*`); `*` matches anything. */
  keyPages?: Record<string, string>;
  /** Clock in epoch ms. @default Date.now */
  now?: () => number;
  local?: KeyValue | undefined;
  session?: KeyValue | undefined;
  /** The page this view landed on (an SPA may have moved on by the time tracking starts). */
  href?: string;
}

interface Tracker {
  snapshot(): Engagement;
  /** An SPA route change: one more page view (of `href`, the page then). */
  pageView(href?: string): void;
  stop(): void;
}

let tracker: Tracker | undefined;

/** A count from storage, which can hold anything (old versions, hand edits). */
const count = (value: unknown) =>
  typeof value === "number" && value >= 0 ? Math.min(value | 0, MAX_COUNT) : 0;

/** Starts tracking once per page; later calls return the same stop function. */
export function startEngagement(options: EngagementOptions = {}): () => void {
  tracker ??= createTracker(options);
  return stopEngagement;
}

export function stopEngagement(): void {
  tracker?.stop();
  tracker = undefined;
}

/** What the page has seen so far. Zeros if tracking never started. */
export function engagementSnapshot(): Engagement {
  return tracker ? tracker.snapshot() : { activeTimeMs: 0, maxScrollPct: 0 };
}

/** Counts an SPA route change as a page view (no-op while not tracking); `href`: the page then. */
export function trackPageView(href?: string): void {
  tracker?.pageView(href);
}

function createTracker({
  keyPages = {},
  now = Date.now,
  local = storageArea("localStorage"),
  session = storageArea("sessionStorage"),
  href,
}: EngagementOptions): Tracker {
  const doc = document;
  const start = now();

  // Visits and page views. A visit continues while the gap since the last activity stays under 30 min.
  const previous = readJson<VisitState>(local, VISITS_KEY);
  const visits = Math.max(
    1,
    count(previous?.count) + (start - (Number(previous?.last) || 0) > VISIT_GAP_MS ? 1 : 0),
  );
  const viewed = readJson<ViewState>(session, VIEWS_KEY);
  let pageViews = viewed?.visit === visits ? count(viewed.views) : 0;
  let total = count(previous?.total);
  const keys: Record<string, number> = { ...(typeof previous?.keys === "object" ? previous.keys : {}) };
  let persistedAt = 0;
  const persist = (t = now()) => {
    persistedAt = t;
    writeJson(local, VISITS_KEY, { count: visits, last: t, total, keys } satisfies VisitState);
  };
  const view = (href = location.href) => {
    pageViews = Math.min(pageViews + 1, MAX_COUNT);
    total = Math.min(total + 1, MAX_COUNT);
    for (const [name, pattern] of Object.entries(keyPages))
      if (urlMatches(pattern, href)) keys[name] = Math.min(count(keys[name]) + 1, MAX_COUNT);
    writeJson(session, VIEWS_KEY, { visit: visits, views: pageViews } satisfies ViewState);
    persist();
  };
  view(href);

  let activeMs = 0;
  /** Time of the last interaction in a visible tab; 0 while hidden or idle. */
  let last = 0;
  /** Active time since the last interaction, up to `t`. */
  const since = (t: number) => (last ? Math.min(t - last, IDLE_MS) : 0);
  const active = () => {
    if (doc.visibilityState === "hidden") return;
    const t = now();
    activeMs += since(t);
    last = t;
    if (t - persistedAt >= PERSIST_EVERY_MS) persist(t);
  };

  // Scroll depth: the lowest point of the page that has been on screen, in percent.
  let maxScrollPct = 0;
  let measuring = false;
  const measure = () => {
    measuring = false;
    const height = Math.max(doc.documentElement.scrollHeight, doc.body?.scrollHeight ?? 0);
    const pct = height > 0 ? Math.min(100, Math.round(((scrollY + innerHeight) / height) * 100)) : 100;
    if (pct > maxScrollPct) maxScrollPct = pct;
  };
  const onActivity = (event: Event) => {
    active();
    if (event.type === "scroll" && !measuring) {
      measuring = true;
      requestAnimationFrame(measure);
    }
  };
  const onVisibility = () => {
    if (doc.visibilityState !== "hidden") return active(); // Coming back to the tab is attention too.
    const t = now();
    activeMs += since(t);
    last = 0;
    persist(t);
  };
  const onPageHide = () => persist();

  const removers = [
    ...ACTIVITY_EVENTS.map((type) => listen(doc, type, onActivity, LISTENER)),
    listen(doc, "visibilitychange", onVisibility),
    listen(window, "pagehide", onPageHide),
  ];
  active(); // Opening a page in a visible tab counts as the first interaction.

  return {
    snapshot() {
      const t = now();
      measure(); // What is on screen now counts as seen (the first screen, if nobody scrolled).
      return {
        activeTimeMs: Math.round(activeMs + since(t)),
        maxScrollPct,
        pageViews,
        visits,
        totalPageViews: total,
        keyPages: { ...keys },
      };
    },
    pageView: view,
    stop() {
      for (const remove of removers) remove();
    },
  };
}
