/**
 * The per-client submission limit when Upstash is the store: @upstash/ratelimit (Upstash's own
 * limiter: sliding or fixed windows in one script, keys that expire, an in-isolate cache that turns a
 * blocked client away without a Redis call), over the same REST client as the adapter.
 *
 * Fail-open, on purpose and out loud: when Redis does not answer the limiter within
 * RATE_LIMIT_TIMEOUT_MS, or fails, the submission is let through and a warning is logged. Losing a
 * real lead to a slow limiter costs more than letting a burst through; the write that follows still
 * needs Redis, so a Redis that is down answers 503 (retry) there, never a silent loss.
 */
import { Ratelimit } from "@upstash/ratelimit";
import type { RateWindowStore } from "../ports/ratelimit.ts";
import type { RedisCommands } from "./rest.ts";

/** How long the limiter may take before the submission is let through. */
export const RATE_LIMIT_TIMEOUT_MS = 1_000;

export interface RateRule {
  limit: number;
  windowSeconds: number;
  algorithm: "sliding" | "fixed";
}

export interface RateVerdict {
  ok: boolean;
  /** Seconds until a refused client may try again. */
  retryAfter: number;
  /** Let through because the limiter timed out or failed (logged). */
  failedOpen?: "timeout" | "error";
}

// Shared by every limiter of this isolate: which clients are blocked, until when (plain data only).
const blocked = new Map<string, number>();

function limiter(
  redis: Pick<RedisCommands, "evalsha" | "eval">,
  site: string,
  rule: RateRule,
  timeout: number,
) {
  const window = `${rule.windowSeconds} s` as const;
  return new Ratelimit({
    // The limiter calls only EVALSHA and EVAL (then NOSCRIPT), which the slim client speaks.
    redis: redis as unknown as ConstructorParameters<typeof Ratelimit>[0]["redis"],
    prefix: `lc:${site}:rl`,
    limiter:
      rule.algorithm === "fixed"
        ? Ratelimit.fixedWindow(rule.limit, window)
        : Ratelimit.slidingWindow(rule.limit, window),
    timeout,
    analytics: false,
    enableTelemetry: false,
    ephemeralCache: blocked,
  });
}

/**
 * Counts one submission of `key` (an HMAC of the client, never an address) against the site's rule.
 * A new limiter per call: it holds the request's client, which must not outlive the request.
 */
export async function limitRate(
  redis: Pick<RedisCommands, "evalsha" | "eval">,
  site: string,
  key: string,
  rule: RateRule,
  timeout = RATE_LIMIT_TIMEOUT_MS,
): Promise<RateVerdict> {
  try {
    const result = await limiter(redis, site, rule, timeout).limit(key);
    if (result.reason === "timeout") {
      console.warn(
        `[leadcap] rate limit: Upstash did not answer within ${timeout} ms; submission let through (fail-open)`,
      );
      return { ok: true, retryAfter: 0, failedOpen: "timeout" };
    }
    return { ok: result.success, retryAfter: Math.max(1, Math.ceil((result.reset - Date.now()) / 1000)) };
  } catch (error) {
    console.warn("[leadcap] rate limit: Upstash failed; submission let through (fail-open)", error);
    return { ok: true, retryAfter: 0, failedOpen: "error" };
  }
}

/** Gives back the token a submission took, when it turned out to be a replay (it must not count). */
export async function refundRate(
  redis: Pick<RedisCommands, "evalsha" | "eval">,
  site: string,
  key: string,
  rule: RateRule,
): Promise<void> {
  try {
    await limiter(redis, site, rule, RATE_LIMIT_TIMEOUT_MS).limit(key, { rate: -1 });
  } catch (error) {
    console.warn("[leadcap] rate limit: could not give back a replayed submission's token", error);
  }
}

/** Nothing for the cron to prune: @upstash/ratelimit's windows expire on their own (TTL of a few windows). */
export class UpstashRateWindows implements RateWindowStore {
  async pruneRateWindows(_before: number): Promise<void> {}
}
