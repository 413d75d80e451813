/**
 * Engagement: how much attention the visitor gave the page. No Preact here; it runs eagerly.
 *
 * Cost matters more than precision: handlers are passive, do a few comparisons on timestamps (no
 * timers), and the one layout read (scroll depth) happens at most once per animation frame.
 */
import type { Engagement } from "../../shared/signals.ts";
import { type KeyValue, readJson, storageArea, writeJson } from "./storage.ts";
import { urlMatches } from "./urls.ts";

/** Time after the last interaction during which the visitor still counts as active. */
export const IDLE_MS = 15_000;
/** Inactivity after which the next page view starts a new visit (the usual analytics session). */
export const VISIT_GAP_MS = 30 * 60_000;
/** How often, at most, an active page refreshes the visit's last-activity time in storage. */
const PERSIST_EVERY_MS = 60_000;
const MAX_ACTIVE_MS = 7 * 24 * 3600 * 1000;
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
  /** Key page patterns the visitor has seen, with how often (90 days, like the first touch). */
  keys?: Record<string, number>;
  /** Epoch ms of the last activity seen on any page of the site. */
  last: number;
}

interface ViewState {
  /** The visit these page views belong to: a new visit restarts the count. */
  visit: number;
  views: number;
}

/** Engagement as the widget sends it: the shared schema plus what the edge may learn to keep. */
export type WidgetEngagement = Engagement & {
  /** Page views on the site over all visits. */
  totalPageViews?: number;
  /** Time from the first interaction with the form to its submission. */
  formTimeMs?: number;
  /** Fields the visitor focused and left empty before submitting. */
  abandonedFields?: string[];
};

export interface EngagementOptions {
  /** URL patterns of key pages (pricing, docs…): `*` matches anything. */
  keyPages?: readonly string[];
  /** Clock in epoch ms. @default Date.now */
  now?: () => number;
  local?: KeyValue | undefined;
  session?: KeyValue | undefined;
}

interface Tracker {
  snapshot(): WidgetEngagement;
  /** An SPA route change: one more page view. */
  pageView(): void;
  stop(): void;
}

let tracker: Tracker | undefined;

const count = (value: unknown) =>
  typeof value === "number" && value >= 0 ? Math.min(Math.floor(value), MAX_COUNT) : 0;

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
export function engagementSnapshot(): WidgetEngagement {
  return tracker ? tracker.snapshot() : { activeTimeMs: 0, maxScrollPct: 0 };
}

/** Counts an SPA route change as a page view (no-op while not tracking). */
export function trackPageView(): void {
  tracker?.pageView();
}

function createTracker({
  keyPages = [],
  now = Date.now,
  local = storageArea("localStorage"),
  session = storageArea("sessionStorage"),
}: EngagementOptions): Tracker {
  const doc = document;
  const start = now();

  // Visits and page views. A visit continues while the gap since the last activity stays under 30 min.
  const previous = readJson<VisitState>(local, VISITS_KEY);
  const continues = previous && typeof previous.last === "number" && start - previous.last <= VISIT_GAP_MS;
  const visits = Math.max(1, continues ? count(previous.count) : count(previous?.count) + 1);
  const viewed = readJson<ViewState>(session, VIEWS_KEY);
  let pageViews = viewed?.visit === visits ? count(viewed.views) : 0;
  let total = count(previous?.total);
  const keys: Record<string, number> =
    previous?.keys && typeof previous.keys === "object" && !Array.isArray(previous.keys)
      ? { ...previous.keys }
      : {};
  let persistedAt = 0;
  const persist = (t: number) => {
    persistedAt = t;
    writeJson(local, VISITS_KEY, { count: visits, last: t, total, keys } satisfies VisitState);
  };
  const view = () => {
    pageViews = Math.min(pageViews + 1, MAX_COUNT);
    total = Math.min(total + 1, MAX_COUNT);
    for (const pattern of keyPages)
      if (urlMatches(pattern, location.href)) keys[pattern] = Math.min(count(keys[pattern]) + 1, MAX_COUNT);
    writeJson(session, VIEWS_KEY, { visit: visits, views: pageViews } satisfies ViewState);
    persist(now());
  };
  view();

  // Active time: the open span [spanStart, min(now, lastInput + IDLE_MS)] is added lazily, on the
  // next interaction after a pause, when the page is hidden, or when someone asks for a snapshot.
  let activeMs = 0;
  let spanStart: number | null = null;
  let lastInput = 0;
  const flush = (t: number) => {
    if (spanStart === null) return;
    const end = Math.min(t, lastInput + IDLE_MS);
    if (end > spanStart) activeMs += end - spanStart;
    spanStart = t < lastInput + IDLE_MS ? t : null;
  };
  const visible = () => doc.visibilityState !== "hidden";
  const active = () => {
    if (!visible()) return;
    const t = now();
    // Within a span, an interaction only moves the idle deadline: no arithmetic on the hot path.
    if (spanStart === null || t >= lastInput + IDLE_MS) {
      flush(t);
      spanStart = t;
    }
    lastInput = t;
    if (t - persistedAt >= PERSIST_EVERY_MS) persist(t);
  };

  // Scroll depth: the lowest point of the page that has been on screen, in percent.
  let maxScrollPct = 0;
  let measuring = false;
  const measure = () => {
    measuring = false;
    const height = Math.max(doc.documentElement.scrollHeight, doc.body?.scrollHeight ?? 0);
    const seen = window.scrollY + window.innerHeight;
    const pct = height > 0 ? Math.min(100, Math.round((seen / height) * 100)) : 100;
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
    const t = now();
    if (visible()) {
      active(); // Coming back to the tab is attention too.
    } else {
      flush(t);
      spanStart = null;
      persist(t);
    }
  };
  const onPageHide = () => persist(now());
  // An async script can run before the page is laid out: a half-parsed page would look fully read.
  const onLoad = () => measure();

  for (const type of ACTIVITY_EVENTS) doc.addEventListener(type, onActivity, LISTENER);
  doc.addEventListener("visibilitychange", onVisibility);
  window.addEventListener("pagehide", onPageHide);
  if (doc.readyState === "complete") measure();
  else window.addEventListener("load", onLoad, { once: true });
  active(); // Opening a page in a visible tab counts as the first interaction.

  return {
    snapshot() {
      flush(now());
      return {
        activeTimeMs: Math.min(Math.round(activeMs), MAX_ACTIVE_MS),
        maxScrollPct,
        pageViews,
        visits,
        totalPageViews: total,
        keyPages: { ...keys },
      };
    },
    pageView: view,
    stop() {
      for (const type of ACTIVITY_EVENTS) doc.removeEventListener(type, onActivity, LISTENER);
      doc.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("pagehide", onPageHide);
      window.removeEventListener("load", onLoad);
    },
  };
}
