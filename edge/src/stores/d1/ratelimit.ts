/** Rate-limit windows on D1: counted inside the ingest batch (d1/ingest.ts), pruned by the cron. */
import type { RateWindowStore } from "../ports/ratelimit.ts";

export class D1RateWindows implements RateWindowStore {
  readonly #db: D1Database;

  constructor(db: D1Database) {
    this.#db = db;
  }

  async pruneRateWindows(before: number): Promise<void> {
    await this.#db.prepare("DELETE FROM rate_limits WHERE window_start < ?1").bind(before).run();
  }
}
