/**
 * How the Upstash adapter keeps its data in Redis. Every write is a Lua script (upstash/scripts/, one
 * per file): it runs atomically inside Redis and costs one command and one round trip, which is how a
 * lead, its history and its outbox rows are written together or not at all, and how dedupe stays
 * exact under any concurrency.
 *
 * Key layout (`lc:` prefix; site-scoped keys carry the site, per-lead keys the lead id, which is
 * globally unique, so the id-only port methods need no lookup):
 *   lc:<site>:idem:<submissionId>  string  "<attempt token>|<answer JSON>", TTL 35 days (the widget
 *                                          retries for 30): the idempotency record
 *   lc:<site>:dk:<dedupeKey>        string  lead id, claimed with SET NX: the dedupe index
 *   lc:<site>:leads                 zset    "<createdAt> <id>", all scores 0: paging by lex
 *   lc:<site>:byscore               zset    "<score %014.4f> <createdAt> <id>", all scores 0: by score
 *   lc:<site>:sv:<version>          set     lead ids last scored with that config ("" = stale, merged)
 *   lc:<site>:svs                   set     the versions in use
 *   lc:<site>:rl:<key>:<window>     string  rate-limit window counter (@upstash/ratelimit), TTL
 *   lc:<site>:m:<day>               hash    counters of leads created that day (by temperature, stage,
 *                                          channel, form), submissions, duplicates and spam of the day
 *   lc:<site>:stats:<day>           hash    widget event counters, field "<form>|<type>"
 *   lc:<site>:spam                  list    bot submissions (no lead, no delivery)
 *   lc:<site>:erasures              hash    erasure id → { at, removed } (no address)
 *   lc:lead:<id>                    hash    site, dk, first, doc, rev, score, temp, stage, count, sv,
 *                                          createdAt, day, ch (first-touch channel), form, email, sm
 *                                          (its by-score member)
 *   lc:lead:<id>:subs|events|stages list    submission records / events / stage changes (JSON)
 *   lc:lead:<id>:outcome            string  outcome JSON
 *   lc:lead:<id>:outbox             set     the lead's outbox row ids
 *   lc:outbox:<id>                  hash    one delivery: the DeliveryStore fields, payload included
 *   lc:outbox:<id>:attempts         list    its attempt log (JSON)
 *   lc:outbox:due                   zset    pending outbox row ids by next attempt (epoch ms)
 *   lc:<site>:outbox                zset    "<createdAt> <id>", all scores 0: a site's deliveries by time
 *   lc:<site>:outbox:counts         hash    "<destination>|<status>" → rows
 *   lc:<site>:dest:<destination>    hash    destination state (paused, failing since, …)
 *   lc:<site>:held:<destination>    set     rows held while the destination is paused
 * Saved site configs (lc:configs, lc:config:<site>) and capture health (lc:<site>:cap:<day>) are
 * laid out in config.ts and capture.ts.
 *
 * Keys read from data (the existing lead of a dedupe key) are not in KEYS: Upstash then runs the
 * script under its global lock (no `allow-key-locking` flag), which is what atomicity needs anyway.
 */

/** A score as a fixed-width, lex-ordered text (scores are 0–100): the by-score index's prefix. */
export function scoreKey(score: number): string {
  return score.toFixed(4).padStart(14, "0");
}

/** Oldest first, for lists kept in write order whose entries carry their own time. */
export const byAt = <T extends { at: string }>(a: T, b: T) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);

/** A Redis list of JSON texts, parsed (@upstash/redis may have parsed them already). */
export const parseList = <T>(values: unknown): T[] =>
  (values as (string | T)[]).map((v) => (typeof v === "string" ? (JSON.parse(v) as T) : v));
