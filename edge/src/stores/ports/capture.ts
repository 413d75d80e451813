/**
 * The CaptureStore port: counters of the submissions the public write routes refused or repaired
 * (capture health), per site, day, route, reason and origin, in the same store as the leads (D1 or
 * Upstash). Bot submissions are not counted here: they are read back from the spam records the lead
 * store keeps already (IngestStore.recordSpam), so there is one source for them.
 */
import type { CaptureEntry, CaptureRow } from "../../../../shared/api/capture.ts";

// The counters are admin API shapes (shared/api/capture.ts).
export type { CaptureEntry, CaptureRow } from "../../../../shared/api/capture.ts";

/**
 * Distinct (route, reason, origin) counters a site gets per day; past it, new origins are counted as
 * OTHER_ORIGINS. The Origin header is the client's to set: a script sending a new one each time must
 * not grow the store without bound.
 */
export const MAX_CAPTURE_KEYS_PER_DAY = 100;

/** The longest range one read covers (the Upstash adapter reads one key per day). */
export const MAX_CAPTURE_DAYS = 366;

export interface CaptureStore {
  /** Adds each entry to its counter (upsert) and moves its last seen time forward. */
  count(site: string, entries: CaptureEntry[]): Promise<void>;
  /**
   * The counters of days `from` ≤ day < `to` (YYYY-MM-DD), and bot submissions per day from the spam
   * records (days with none left out).
   */
  read(
    site: string,
    from: string,
    to: string,
  ): Promise<{ rows: CaptureRow[]; bots: { day: string; count: number }[] }>;
}

/** The UTC days from `from` up to, not including, `to`. */
export function daysBetween(from: string, to: string, max = 3660): string[] {
  const days: string[] = [];
  const last = Date.parse(to);
  for (let t = Date.parse(from); t < last && days.length < max; t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}
