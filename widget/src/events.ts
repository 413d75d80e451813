/**
 * Lifecycle events, three ways: a DOM CustomEvent `leadcap:<type>` on document (detail: { form }) and
 * a `dataLayer.push` for tag managers when the page has a dataLayer, at once (`dispatch`, in
 * leadcap-ui.js: every event but `ready` follows a render), and a batched POST /v1/events for
 * conversion rates (impressions → submits; `/v1/counts`, a name filter lists leave alone), from leadcap-send.js (`createEvents`), which the UI
 * fetches as soon as a form is shown. The analytics request is fire-and-forget: `keepalive` so it
 * survives the page closing, text/plain so there is no preflight, failures ignored. It never affects
 * the form.
 */
import type { Fetch } from "./api.ts";
import type { WidgetEvent } from "./host.ts";
import { stringify } from "./json.ts";

const MAX_BATCH = 50;
const FLUSH_MS = 2000;

interface Queued {
  type: WidgetEvent;
  form: string;
  at: string;
}

export interface Events {
  /** Queues an event for /v1/events; `at` is when it happened (ISO 8601). */
  add(type: WidgetEvent, form: string, at: string): void;
  flush(): void;
  stop(): void;
}

/** The page's side of an event: the DOM CustomEvent and the dataLayer push. */
export function dispatch(type: WidgetEvent, form: string): void {
  try {
    document.dispatchEvent(new CustomEvent(`leadcap:${type}`, { detail: { form } }));
    const layer = (window as { dataLayer?: unknown }).dataLayer;
    if (Array.isArray(layer)) layer.push({ event: `leadcap.${type}`, leadcapForm: form });
  } catch {
    // A listener of the page threw: its problem, not the form's.
  }
}

/**
 * `touch`: the visit's latest touch (UTM, click ids, referrer), sent with each batch so the edge can
 * count conversion per channel and campaign; it is classified there and not stored.
 */
export function createEvents(endpoint: string, site: string, fetch: Fetch, touch: () => unknown): Events {
  const queue: Queued[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    while (queue.length) {
      const events = queue.splice(0, MAX_BATCH);
      try {
        fetch(`${endpoint}/v1/counts`, {
          method: "POST",
          headers: { "Content-Type": "text/plain;charset=UTF-8" },
          body: stringify({ site, events, touch: touch() }),
          credentials: "omit",
          keepalive: true,
        }).catch(() => {});
      } catch {
        // keepalive quota exceeded or fetch replaced by something broken: analytics only.
      }
    }
  };
  // The page going away is the last chance to send what is queued.
  const onHide = () => {
    if (document.visibilityState === "hidden") flush();
  };
  document.addEventListener("visibilitychange", onHide);
  addEventListener("pagehide", flush);

  return {
    add(type, form, at) {
      queue.push({ type, form, at });
      if (queue.length >= MAX_BATCH) flush();
      else timer ??= setTimeout(flush, FLUSH_MS);
    },
    flush,
    stop() {
      flush();
      document.removeEventListener("visibilitychange", onHide);
      removeEventListener("pagehide", flush);
    },
  };
}
