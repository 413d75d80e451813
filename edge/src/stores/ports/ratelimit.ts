/**
 * The per-client submission limit. A submission counts against its window inside `ingest`
 * (ports/ingest.ts): D1 counts it in the ingest transaction, Upstash through @upstash/ratelimit just
 * before it (upstash/ratelimit.ts). Either way a replayed submission id never counts and a refused
 * one writes nothing (`RateLimitedError`, stores/errors.ts).
 */

/** The rate-limit window a submission counts against. */
export interface RateWindow {
  /** Opaque per (site, client) key; never a raw IP address. */
  key: string;
  /** Start of the current window, epoch seconds. */
  windowStart: number;
  /** Start of the previous window (sliding windows weigh its count). */
  previousWindowStart: number;
  /** Weight of the previous window's count: 0 for a fixed window. */
  previousWeight: number;
  limit: number;
  /** The site's rule, for limiters that keep their own windows. */
  windowSeconds: number;
  algorithm: "sliding" | "fixed";
}

/** The cron's housekeeping of the windows. */
export interface RateWindowStore {
  /** Deletes rate-limit windows that started before `before` (epoch seconds). */
  pruneRateWindows(before: number): Promise<void>;
}
