/**
 * What counts as an origin a site may allow: `scheme://host[:port]` over http(s), no path, query,
 * fragment or credentials, never `null`. Plain code, no zod: the console checks an origin with it
 * before asking the edge, which checks it again.
 */

/** Capture health's origin for a request without an Origin header (a server, a no-JS form post). */
export const NO_ORIGIN = "";
/** Capture health's origin for every other origin of a day once a site has named its daily limit. */
export const OTHER_ORIGINS = "*";

/** The origin as browsers send it (lower-case host, default port dropped), or null when it is not one. */
export function parseOrigin(input: string): string | null {
  const text = input.trim().replace(/\/$/, "");
  // The shape first: URL would accept (and quietly drop) a path, a query or user:password@.
  if (!/^https?:\/\/[^/?#@\s\\]+$/i.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  return url.origin === "null" || !url.hostname ? null : url.origin;
}

/** Why `input` is not an origin, in words for the person typing it; null when it is one. */
export function originProblem(input: string): string | null {
  const text = input.trim();
  if (!text) return "Enter an origin, like https://www.example.com.";
  if (text === "null") return "The null origin (sandboxed frames, local files) can never be allowed.";
  if (!/^https?:\/\//i.test(text)) return "Start with https:// (or http://), like https://www.example.com.";
  if (parseOrigin(text)) return null;
  return "Only the scheme, host and port, like https://shop.example.com:8443: no path, no ?query.";
}
