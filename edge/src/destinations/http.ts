/**
 * Outgoing HTTP for every destination: the address guard (https: only, never private, loopback or
 * link-local hosts, so a destination URL cannot be used to reach internal services), a timeout per
 * request, no redirects followed, and one way to read an answer into a SendResult.
 */
import type { SendContext, SendResult } from "./types.ts";

/** How long one request may take before it counts as failed. */
export const DEFAULT_TIMEOUT_MS = 10_000;
export const USER_AGENT = "Leadcap-Webhooks/1.0 (+https://github.com/leadcap)";
const EXCERPT_CHARS = 500;

export class BlockedDestinationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BlockedDestinationError";
  }
}

function ipv4(host: string): number[] | null {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const bytes = parts.map(Number);
  return bytes.every((b) => b <= 255) ? bytes : null;
}

/** Private, loopback, link-local, CGNAT, benchmarking, multicast and reserved IPv4 ranges. */
function privateIpv4([a, b]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b! >= 64 && b! <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && (b === 168 || b === 0)) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a! >= 224
  );
}

function privateIpv6(host: string): boolean {
  const h = host.toLowerCase();
  if (h === "::" || h === "::1") return true;
  // IPv4-mapped / -translated (::ffff:7f00:1 is 127.0.0.1): refuse them all, no service needs them.
  if (h.startsWith("::ffff:") || h.startsWith("64:ff9b:") || h.startsWith("::")) return true;
  const first = Number.parseInt(h.split(":")[0] || "0", 16);
  return (
    (first & 0xfe00) === 0xfc00 /* fc00::/7 unique local */ ||
    (first & 0xffc0) === 0xfe80 /* fe80::/10 */ ||
    (first & 0xff00) === 0xff00
  );
}

const LOOPBACK_NAMES = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Throws unless `raw` may be called. The WHATWG URL parser has already turned 2130706433, 0x7f.1
 * and friends into dotted IPv4, so one check on the canonical host covers them. Names that resolve
 * to private addresses are Cloudflare's to refuse: Workers cannot reach them.
 */
export function assertAllowedUrl(
  raw: string,
  context: Pick<SendContext, "allowPrivate" | "allowLoopback">,
): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BlockedDestinationError(`not a URL: ${raw.slice(0, 100)}`);
  }
  if (context.allowPrivate) {
    if (url.protocol !== "https:" && url.protocol !== "http:")
      throw new BlockedDestinationError(`${url.protocol} URLs are not allowed`);
    return url;
  }
  const host = url.hostname.toLowerCase();
  if (context.allowLoopback && url.protocol === "http:" && LOOPBACK_NAMES.has(host)) return url;
  if (url.protocol !== "https:")
    throw new BlockedDestinationError(`only https: URLs are allowed, not ${url.protocol}`);
  if (url.username || url.password)
    throw new BlockedDestinationError("URLs with credentials are not allowed");
  const v4 = ipv4(host);
  const blocked =
    (v4 !== null && privateIpv4(v4)) ||
    (host.startsWith("[") && privateIpv6(host.slice(1, -1))) ||
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host.endsWith(".local") ||
    host.endsWith(".internal") ||
    !host.includes(".");
  if (blocked) throw new BlockedDestinationError(`${host} is a private, loopback or link-local address`);
  return url;
}

/** Retry-After as seconds (delta-seconds or an HTTP date); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  if (/^\s*\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

export interface Answer {
  response: Response | null;
  text: string;
  result: SendResult;
}

/** One guarded request with a timeout; never throws. */
export async function request(
  url: string,
  init: RequestInit & { timeoutMs?: number | undefined },
  context: SendContext,
): Promise<Answer> {
  const { timeoutMs, ...rest } = init;
  try {
    assertAllowedUrl(url, context);
    const response = await fetch(url, {
      ...rest,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    // The body is read under the same timeout: a receiver that sends headers and then hangs fails too.
    const text = await response.text();
    const excerpt = text ? text.slice(0, EXCERPT_CHARS) : null;
    const ok = response.status >= 200 && response.status < 300;
    return {
      response,
      text,
      result: {
        ok,
        status: response.status,
        error: ok
          ? null
          : response.status >= 300 && response.status < 400
            ? `HTTP ${response.status}: redirects are not followed (${response.headers.get("location") ?? "no location"})`
            : `HTTP ${response.status}${excerpt ? `: ${excerpt.slice(0, 200)}` : ""}`,
        retryAfter:
          response.status === 429 || response.status === 503
            ? parseRetryAfter(response.headers.get("retry-after"), context.now)
            : null,
        gone: response.status === 410,
        excerpt,
      },
    };
  } catch (error) {
    const message =
      error instanceof Error
        ? error.name === "TimeoutError"
          ? `timed out after ${timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`
          : `${error.name}: ${error.message}`
        : String(error);
    return {
      response: null,
      text: "",
      result: { ok: false, status: null, error: message, retryAfter: null, gone: false, excerpt: null },
    };
  }
}

/** A failed result from something other than HTTP (a bad answer body, a missing setting). */
export function failure(
  error: string,
  status: number | null = null,
  excerpt: string | null = null,
): SendResult {
  return { ok: false, status, error, retryAfter: null, gone: false, excerpt };
}
