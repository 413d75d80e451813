/**
 * Hash routing (`#/leads?temperature=hot`, `#/leads/<id>`, `#/metrics?from=…`, `#/capture?from=…`,
 * `#/deliveries`, `#/install?form=…`, `#/forms`, `#/forms/<id>`, `#/channels`, `#/scoring`,
 * `#/routing`, `#/versions`, `#/people`, `#/new-site`):
 * static hosting needs no rewrite rules, every screen and filter is a link that can be shared or
 * bookmarked, and Back undoes a filter change.
 */
import { signal } from "@preact/signals";

export type Screen =
  | "leads"
  | "lead"
  | "metrics"
  | "capture"
  | "deliveries"
  | "install"
  | "forms"
  | "form"
  | "channels"
  | "scoring"
  | "routing"
  | "versions"
  | "people"
  | "new-site";

export interface Route {
  screen: Screen;
  /** The lead id on the lead screen, the form id on the form screen. */
  id?: string;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#\/?/, "").split("?", 2);
  const params = new URLSearchParams(search);
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "leads" && parts[1]) return { screen: "lead", id: parts[1], params };
  if (parts[0] === "metrics") return { screen: "metrics", params };
  if (parts[0] === "capture") return { screen: "capture", params };
  if (parts[0] === "deliveries") return { screen: "deliveries", params };
  if (parts[0] === "install") return { screen: "install", params };
  if (parts[0] === "forms" && parts[1]) return { screen: "form", id: parts[1], params };
  for (const screen of ["forms", "channels", "scoring", "routing", "versions", "people", "new-site"] as const)
    if (parts[0] === screen) return { screen, params };
  return { screen: "leads", params };
}

export const route = signal<Route>(parseHash(location.hash));

addEventListener("hashchange", () => {
  route.value = parseHash(location.hash);
});

export function href(path: string, params?: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) if (value) search.set(key, value);
  const text = search.toString();
  return `#/${path}${text ? `?${text}` : ""}`;
}

/** Changes the URL; `replace` for changes that should not each make a Back step (typing a search). */
export function navigate(to: string, replace = false): void {
  if (to === location.hash) return;
  if (replace) {
    history.replaceState(history.state, "", to);
    route.value = parseHash(to);
  } else {
    location.hash = to;
  }
}
