/**
 * Ingest on Upstash Redis: a submission is one Lua script (scripts/ingest.ts, key layout in
 * layout.ts): idempotency record, the dedupe claim (SET NX), the lead created or merged (RFC 7396),
 * its history and its outbox rows, and the answer, in one atomic step, one command, one round trip;
 * the per-client limit is counted just before it, by @upstash/ratelimit (ratelimit.ts): one more
 * command and round trip.
 *
 * A reply lost on the way back (the client retries the same request) is recognised as our own write:
 * every call carries a fresh attempt token, stored with the answer, so the retry gets `fresh: true` and
 * its delivery ids rather than being mistaken for a replayed submission.
 */
import type { SubmitAnswer } from "../../../../shared/lead.ts";
import { RateLimitedError } from "../errors.ts";
import { ENQUEUE_LEASE_MS } from "../ports/delivery.ts";
import {
  type IngestCommand,
  type IngestResult,
  type IngestStore,
  type SpamEntry,
  scorePatchOf,
  writtenDeliveries,
} from "../ports/ingest.ts";
import { scoreKey } from "./layout.ts";
import { limitRate, refundRate } from "./ratelimit.ts";
import { type RedisCommands, runScript } from "./rest.ts";
import { INGEST } from "./scripts/ingest.ts";

/** How long a submission id's answer is kept for replay: longer than the widget's 30-day outbox. */
export const IDEMPOTENCY_TTL_SECONDS = 35 * 86_400;

export class UpstashIngest implements IngestStore {
  readonly #redis: RedisCommands;

  /** An @upstash/redis client must be created with `automaticDeserialization: false`: scripts answer JSON text. */
  constructor(redis: RedisCommands) {
    this.#redis = redis;
  }

  async ingest(command: IngestCommand): Promise<IngestResult> {
    const { site, submissionId, rateWindow } = command;
    if (rateWindow) {
      const verdict = await limitRate(this.#redis, site, rateWindow.key, rateWindow);
      if (!verdict.ok) {
        // A retried submission that was stored before gets its answer, not a 429.
        const replay = await this.#answered(site, submissionId);
        if (replay) return replay;
        throw new RateLimitedError(verdict.retryAfter);
      }
    }
    const result = await this.#ingest(command);
    // A replayed submission id never counts against the limit: give its token back.
    if (rateWindow && !result.fresh) await refundRate(this.#redis, site, rateWindow.key, rateWindow);
    return result;
  }

  async #answered(site: string, submissionId: string): Promise<IngestResult | null> {
    const seen = await this.#redis.get(`lc:${site}:idem:${submissionId}`);
    if (typeof seen !== "string") return null;
    const answer = JSON.parse(seen.slice(seen.indexOf("|") + 1)) as SubmitAnswer;
    return { answer, fresh: false, deliveryIds: [] };
  }

  async #ingest(command: IngestCommand): Promise<IngestResult> {
    const { site, submissionId, lead, now } = command;
    const nowMs = Date.parse(now);
    const token = crypto.randomUUID();
    const keys = [
      `lc:${site}:idem:${submissionId}`,
      `lc:${site}:dk:${command.dedupeKey}`,
      `lc:lead:${lead.id}`,
      `lc:${site}:leads`,
      `lc:${site}:m:${now.slice(0, 10)}`,
    ];
    const args: (string | number)[] = [
      token,
      site,
      submissionId,
      now,
      nowMs,
      command.dedupeKey,
      lead.id,
      JSON.stringify(lead),
      JSON.stringify(command.mergePatch),
      JSON.stringify(scorePatchOf(lead)),
      lead.score,
      lead.temperature,
      lead.stage,
      command.dedupeWindowDays,
      JSON.stringify(command.record),
      command.scoringVersion,
      lead.createdAt,
      lead.form,
      // The first touch's channel, as dashboards count and filter leads ("" when none: 'other' in metrics).
      lead.firstTouch.channel ?? "",
      new Date(nowMs + ENQUEUE_LEASE_MS).toISOString(),
      IDEMPOTENCY_TTL_SECONDS,
      JSON.stringify(command.fillPatch),
      lead.email,
      scoreKey(lead.score),
      // The first touch's campaign, as dashboards count cost per lead ("" when none).
      lead.firstTouch.utm_campaign ?? "",
      // The third of each triple: the event the row is for ("" for either).
      ...command.deliveries.flatMap((d) => [d.id, d.destination, d.when ?? ""]),
    ];
    const [status, answer] = (await runScript(this.#redis, INGEST, keys, args)) as [string, string];
    const fresh = status !== "replay";
    const parsed = JSON.parse(answer) as SubmitAnswer;
    return { answer: parsed, fresh, deliveryIds: fresh ? writtenDeliveries(command.deliveries, parsed) : [] };
  }

  async recordSpam(entry: SpamEntry): Promise<void> {
    const { site, ...rest } = entry;
    await Promise.all([
      this.#redis.rpush(`lc:${site}:spam`, JSON.stringify(rest)),
      // By the reason's kind ("honeypot" of "honeypot:website"), like the D1 adapter's metrics.
      this.#redis.hincrby(`lc:${site}:m:${entry.now.slice(0, 10)}`, `spam:${entry.reason.split(":")[0]}`, 1),
    ]);
  }
}
