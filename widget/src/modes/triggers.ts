/**
 * Triggers that open a popup, slide-in or bar: delay, scroll depth, exit intent and clicks. `arm`
 * returns its disarm; the loader disarms on every SPA route change, so a trigger armed on a page the
 * visitor left never fires. No Preact: this is part of the eager loader.
 */
import type { Triggers } from "../../../shared/display.ts";

const PASSIVE = { passive: true, capture: true } as const;

/** The share of the page seen, 0–100 (the bottom of the viewport, as engagement measures it). */
export function scrollPercent(): number {
  const height = Math.max(document.documentElement.scrollHeight, document.body?.scrollHeight ?? 0);
  return height > 0 ? Math.min(100, ((scrollY + innerHeight) / height) * 100) : 100;
}

/** Fires `fire` once, on the first trigger that holds. With no trigger set it fires at once. */
export function arm(triggers: Triggers | undefined, fire: () => void): () => void {
  const undo: Array<() => void> = [];
  let done = false;
  const disarm = () => {
    done = true;
    for (const u of undo.splice(0)) u();
  };
  const go = () => {
    if (done) return;
    disarm();
    fire();
  };
  const listen = (
    target: EventTarget,
    type: string,
    fn: (event: Event) => void,
    options?: AddEventListenerOptions,
  ) => {
    target.addEventListener(type, fn, options);
    undo.push(() => target.removeEventListener(type, fn, options));
  };
  const t = triggers ?? {};
  const any = t.delaySeconds !== undefined || t.scrollPercent !== undefined || t.exitIntent || t.click;
  if (!any) {
    const id = setTimeout(go, 0);
    undo.push(() => clearTimeout(id));
    return disarm;
  }
  if (t.delaySeconds !== undefined) {
    const id = setTimeout(go, t.delaySeconds * 1000);
    undo.push(() => clearTimeout(id));
  }
  if (t.scrollPercent !== undefined) {
    const threshold = t.scrollPercent;
    let queued = false;
    // Depth the visitor scrolled to: a short page seen whole without scrolling does not count.
    const check = () => {
      queued = false;
      if ((scrollY > 0 || threshold === 0) && scrollPercent() >= threshold) go();
    };
    listen(
      document,
      "scroll",
      () => {
        if (!queued) {
          queued = true;
          requestAnimationFrame(check);
        }
      },
      PASSIVE,
    );
    // The page may already be scrolled (a reload, an anchor), or short enough to be all seen.
    requestAnimationFrame(check);
  }
  if (t.exitIntent) {
    // Desktop: the pointer leaves the window through the top (towards the tabs and the address bar).
    listen(document, "mouseout", (event) => {
      const e = event as MouseEvent;
      if (!e.relatedTarget && e.clientY <= 0) go();
    });
    if (matchMedia?.("(pointer: coarse)").matches) {
      // Mobile: a fast flick up (heading for the address bar) or leaving the tab.
      let lastY = scrollY;
      let lastT = performance.now();
      listen(
        document,
        "scroll",
        () => {
          const y = scrollY;
          const t2 = performance.now();
          if (lastY - y > 0 && (lastY - y) / Math.max(1, t2 - lastT) > 1.5 && y > 100) go();
          lastY = y;
          lastT = t2;
        },
        PASSIVE,
      );
      listen(document, "visibilitychange", () => {
        if (document.visibilityState === "hidden") go();
      });
    }
  }
  if (t.click) {
    const selector = t.click;
    listen(
      document,
      "click",
      (event) => {
        try {
          if ((event.target as Element | null)?.closest?.(selector)) go();
        } catch {
          disarm(); // Not a valid selector: this trigger can never fire.
        }
      },
      { capture: true },
    );
  }
  return disarm;
}
