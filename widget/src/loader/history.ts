/**
 * SPA route changes, as the loader sees them: after every `history.pushState` and `replaceState`
 * (wrapped), and on `popstate`. What a route change means (a page view, URL rules, containers) is
 * the loader's; this only tells it.
 */
import { listen } from "../listen.ts";
import { warn } from "../log.ts";

/** Wraps `history[method]` to call `onRoute` after it; returns the remover. */
const wrap = (method: "pushState" | "replaceState", onRoute: () => void) => {
  const original = history[method];
  const wrapped = function (this: History, ...args: Parameters<History["pushState"]>) {
    const result = original.apply(this, args);
    try {
      onRoute();
    } catch (error) {
      warn(error); // Never the page's navigation's problem.
    }
    return result;
  };
  history[method] = wrapped;
  // The page's own method back, unless something wrapped it after us (their wrapper stays theirs).
  return () => {
    if (history[method] === wrapped) history[method] = original;
  };
};

/** Calls `onRoute` after each history change; returns the remover. */
export function watchHistory(onRoute: () => void): () => void {
  const removers = [
    wrap("pushState", onRoute),
    wrap("replaceState", onRoute),
    listen(window, "popstate", onRoute),
  ];
  return () => {
    for (const remove of removers) remove();
  };
}
