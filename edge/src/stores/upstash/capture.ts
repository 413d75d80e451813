/**
 * The CaptureStore port on Upstash Redis. Keys:
 *   lc:<site>:cap:<day>   hash  "<route>|<reason>|<origin>" → count; "@<route>|<reason>|<origin>" → last seen
 * Bot submissions come from the lead store's day counters (lc:<site>:m:<day>, fields "spam:<kind>").
 * A count is one script per day touched (check the day's room, increment, move last seen): atomic.
 */
import type { CaptureReason, CaptureRoute } from "../../../../shared/capture.ts";
import { OTHER_ORIGINS } from "../../../../shared/capture.ts";
import {
  type CaptureEntry,
  type CaptureRow,
  type CaptureStore,
  daysBetween,
  MAX_CAPTURE_DAYS,
  MAX_CAPTURE_KEYS_PER_DAY,
} from "../ports/capture.ts";
import { type RedisCommands, runScript } from "./rest.ts";
import { COUNT_CAPTURE } from "./scripts/count-capture.ts";
import { READ_CAPTURE } from "./scripts/read-capture.ts";

export class UpstashCaptureStore implements CaptureStore {
  readonly #redis: Pick<RedisCommands, "evalsha" | "eval">;

  constructor(redis: Pick<RedisCommands, "evalsha" | "eval">) {
    this.#redis = redis;
  }

  async count(site: string, entries: CaptureEntry[]): Promise<void> {
    const byDay = new Map<string, (string | number)[]>();
    for (const e of entries) {
      const day = e.at.slice(0, 10);
      const args = byDay.get(day) ?? [MAX_CAPTURE_KEYS_PER_DAY, OTHER_ORIGINS];
      args.push(`${e.route}|${e.reason}|`, e.origin, e.count ?? 1, e.at);
      byDay.set(day, args);
    }
    await Promise.all(
      [...byDay].map(([day, args]) => runScript(this.#redis, COUNT_CAPTURE, [`lc:${site}:cap:${day}`], args)),
    );
  }

  async read(site: string, from: string, to: string) {
    const days = daysBetween(from, to, MAX_CAPTURE_DAYS);
    if (days.length === 0) return { rows: [], bots: [] };
    const reply = (await runScript(
      this.#redis,
      READ_CAPTURE,
      days.flatMap((day) => [`lc:${site}:cap:${day}`, `lc:${site}:m:${day}`]),
      [],
    )) as [string[], number][] | (string[] | number)[];
    const rows: CaptureRow[] = [];
    const bots: { day: string; count: number }[] = [];
    days.forEach((day, d) => {
      const flat = (reply[2 * d] ?? []) as string[];
      const fields = new Map<string, string>();
      for (let i = 0; i < flat.length; i += 2) fields.set(flat[i]!, flat[i + 1]!);
      for (const [field, value] of fields) {
        if (field.startsWith("@")) continue;
        // "<route>|<reason>|<origin>": neither route nor reason has a "|"; the origin may.
        const first = field.indexOf("|");
        const second = field.indexOf("|", first + 1);
        rows.push({
          day,
          route: field.slice(0, first) as CaptureRoute,
          reason: field.slice(first + 1, second) as CaptureReason,
          origin: field.slice(second + 1),
          count: Number(value),
          lastSeen: fields.get(`@${field}`) ?? `${day}T00:00:00.000Z`,
        });
      }
      const spam = Number(reply[2 * d + 1] ?? 0);
      if (spam > 0) bots.push({ day, count: spam });
    });
    const key = (r: CaptureRow) => `${r.day}\u0000${r.route}\u0000${r.reason}\u0000${r.origin}`;
    rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    return { rows, bots };
  }
}
