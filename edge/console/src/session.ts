/**
 * The signed-in session: the admin token, the edge it talks to and the site in view. Kept in
 * sessionStorage only, so closing the tab forgets the token (never localStorage, never a cookie).
 */
import { signal } from "@preact/signals";

export interface Session {
  token: string;
  /** The edge origin, e.g. https://leadcap.example.workers.dev (no trailing slash): the page's own. */
  edge: string;
  site: string;
}

const KEY = "leadcap-console-session";

/**
 * The edge the console talks to: the origin it was served from. The Worker serves the console from
 * its static assets at /console/, on the API's own origin, so no CORS and no edge to type in (the
 * page's CSP allows `connect-src 'self'` only).
 */
export const served = {
  edge: location.protocol.startsWith("http") ? location.origin : "",
};

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    if (
      typeof parsed.token === "string" &&
      typeof parsed.edge === "string" &&
      typeof parsed.site === "string"
    )
      return { token: parsed.token, edge: parsed.edge, site: parsed.site };
  } catch {
    // storage unavailable or corrupt: sign in again
  }
  return null;
}

export const session = signal<Session | null>(load());
/** Why the visitor is on the sign-in screen (a 401 mid-session), shown there. */
export const signInNotice = signal("");

export function signIn(next: Session): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    // private mode: the session lasts as long as the page
  }
  signInNotice.value = "";
  session.value = next;
}

/** Another site of the token's, for every screen (kept with the session). */
export function switchSite(site: string): void {
  const current = session.value;
  if (!current || current.site === site) return;
  signIn({ ...current, site });
}

export function signOut(notice = ""): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
  signInNotice.value = notice;
  session.value = null;
}
