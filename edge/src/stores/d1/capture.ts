/** The CaptureStore port on D1 (migrations/0010_capture_health.sql). */
import { type CaptureReason, type CaptureRoute, OTHER_ORIGINS } from "../../../../shared/capture.ts";
import {
  type CaptureEntry,
  type CaptureRow,
  type CaptureStore,
  MAX_CAPTURE_KEYS_PER_DAY,
} from "../ports/capture.ts";

// One statement per entry: the origin is kept when its counter exists or the day has room, else the
// count goes to OTHER_ORIGINS ('*'). The primary key makes it an upsert.
const UPSERT = `
INSERT INTO capture_health (site, day, route, reason, origin, count, last_seen)
VALUES (?1, ?2, ?3, ?4,
  CASE WHEN EXISTS (SELECT 1 FROM capture_health
                    WHERE site = ?1 AND day = ?2 AND route = ?3 AND reason = ?4 AND origin = ?5)
         OR (SELECT COUNT(*) FROM capture_health WHERE site = ?1 AND day = ?2) < ?8
       THEN ?5 ELSE ?9 END,
  ?6, ?7)
ON CONFLICT (site, day, route, reason, origin)
DO UPDATE SET count = count + excluded.count, last_seen = MAX(last_seen, excluded.last_seen)`;

interface Row {
  day: string;
  route: CaptureRoute;
  reason: CaptureReason;
  origin: string;
  count: number;
  last_seen: string;
}

export class D1CaptureStore implements CaptureStore {
  readonly #db: D1Database;

  constructor(db: D1Database) {
    this.#db = db;
  }

  async count(site: string, entries: CaptureEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const statement = this.#db.prepare(UPSERT);
    await this.#db.batch(
      entries.map((e) =>
        statement.bind(
          site,
          e.at.slice(0, 10),
          e.route,
          e.reason,
          e.origin,
          e.count ?? 1,
          e.at,
          MAX_CAPTURE_KEYS_PER_DAY,
          OTHER_ORIGINS,
        ),
      ),
    );
  }

  async read(site: string, from: string, to: string) {
    const [counters, spam] = await this.#db.batch([
      this.#db
        .prepare(
          `SELECT day, route, reason, origin, count, last_seen FROM capture_health
           WHERE site = ?1 AND day >= ?2 AND day < ?3 ORDER BY day, route, reason, origin`,
        )
        .bind(site, from, to),
      // created_at is ISO: comparing with the days' bare dates takes whole days.
      this.#db
        .prepare(
          `SELECT substr(created_at, 1, 10) AS day, COUNT(*) AS count FROM spam
           WHERE site = ?1 AND created_at >= ?2 AND created_at < ?3 GROUP BY day ORDER BY day`,
        )
        .bind(site, from, to),
    ]);
    const rows = ((counters?.results ?? []) as Row[]).map(
      (r): CaptureRow => ({
        day: r.day,
        route: r.route,
        reason: r.reason,
        origin: r.origin,
        count: r.count,
        lastSeen: r.last_seen,
      }),
    );
    const bots = (spam?.results ?? []) as { day: string; count: number }[];
    return { rows, bots };
  }
}
