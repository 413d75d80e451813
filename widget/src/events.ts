/**
 * Lifecycle events, three ways (part of leadcap-ui.js: every event but `ready` follows a render): a DOM CustomEvent `leadcap:<type>` on document (detail: { form }), a
 * `dataLayer.push` for tag managers when the page has a dataLayer, and a batched POST /v1/events for
 * conversion rates (impressions → submits). The analytics request is fire-and-forget: `keepalive` so
 * it survives the page closing, text/plain so there is no preflight, failures ignored. It never
 * affects the form.
 */
import type { Fetch } from "./api.ts";
import type { WidgetEvent } from "./host.ts";

const MAX_BATCH = 50;
const FLUSH_MS = 2000;

interface Queued {
  type: WidgetEvent;
  form: string;
  at: string;
}

export interface Events {
  emit(type: WidgetEvent, form: string, track?: boolean): void;
  flush(): void;
  stop(): void;
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
        fetch(`${endpoint}/v1/events`, {
          method: "POST",
          headers: { "Content-Type": "text/plain;charset=UTF-8" },
          body: JSON.stringify({ site, events, touch: touch() }),
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
    emit(type, form, track = true) {
      try {
        document.dispatchEvent(new CustomEvent(`leadcap:${type}`, { detail: { form } }));
        const layer = (window as { dataLayer?: unknown }).dataLayer;
        if (Array.isArray(layer)) layer.push({ event: `leadcap.${type}`, leadcapForm: form });
      } catch {
        // A listener of the page threw: its problem, not the form's.
      }
      if (!track) return;
      queue.push({ type, form, at: new Date().toISOString() });
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
