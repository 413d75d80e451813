/**
 * The Upstash Redis adapter of the DeliveryStore port: the outbox rows the Upstash LeadStore writes
 * with each lead (key layout in upstash/layout.ts), attempts, leases for the sweep, dead
 * letters and replay, paused destinations. Every write is one Lua script: one command, one round
 * trip, atomic like the D1 adapter's batches. The contract suite (tests/contract/delivery.test.ts)
 * holds it to the D1 adapter's behaviour.
 */
import { decodeCursor, encodeCursor, isTimeAndId } from "../cursor.ts";
import {
  type Attempt,
  type AttemptContext,
  type AttemptOutcome,
  type Delivery,
  type DeliveryFilter,
  type DeliveryPage,
  type DeliveryStore,
  type DestinationState,
  type DestinationUpdate,
  HELD_UNTIL,
} from "../ports/delivery.ts";
import { type RedisCommands, runScript, type ScriptReply } from "./rest.ts";
import { CLAIM_DUE } from "./scripts/claim-due.ts";
import { LIST_DELIVERIES } from "./scripts/list-deliveries.ts";
import { PAUSE_DESTINATION } from "./scripts/pause-destination.ts";
import { RECORD_ATTEMPT } from "./scripts/record-attempt.ts";
import { REPLAY } from "./scripts/replay.ts";
import { RESUME_DESTINATION } from "./scripts/resume-destination.ts";

/** A nullable text as a script argument: "" for null, "v" + text otherwise. */
const opt = (value: string | number | null | undefined) =>
  value === null || value === undefined ? "" : `v${value}`;

function toRecord(pairs: ScriptReply): Record<string, string> {
  const flat = (pairs ?? []) as string[];
  const row: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) row[flat[i]!] = flat[i + 1]!;
  return row;
}

const num = (v: string | undefined) => (v === undefined ? null : Number(v));

function toDelivery(row: Record<string, string>): Delivery {
  const status = row.status as Delivery["status"];
  return {
    id: row.id!,
    site: row.site!,
    leadId: row.leadId!,
    destination: row.destination!,
    eventType: row.eventType as Delivery["eventType"],
    payload: row.payload ?? "",
    status,
    attempts: Number(row.attempts ?? 0),
    nextAttemptAt: row.nextAttemptAt!,
    lastStatus: num(row.lastStatus),
    lastError: row.lastError ?? null,
    lastAttemptAt: row.lastAttemptAt ?? null,
    createdAt: row.createdAt!,
    deliveredAt: row.deliveredAt ?? null,
    deadAt: row.deadAt ?? null,
    replays: Number(row.replays ?? 0),
    held: status === "pending" && row.nextAttemptAt === HELD_UNTIL,
  };
}

export class UpstashDeliveryStore implements DeliveryStore {
  readonly #redis: RedisCommands;

  constructor(redis: RedisCommands) {
    this.#redis = redis;
  }

  #run(script: string, keys: string[], args: (string | number)[]) {
    return runScript(this.#redis, script, keys, args);
  }

  async getDelivery(id: string): Promise<Delivery | null> {
    const row = toRecord((await this.#redis.hgetall(`lc:outbox:${id}`)) as ScriptReply);
    return row.id ? toDelivery(row) : null;
  }

  async getAttempt(id: string): Promise<AttemptContext | null> {
    const row = await this.getDelivery(id);
    return row && { row, state: await this.getDestinationState(row.site, row.destination) };
  }

  async recordAttempt(row: Delivery, o: AttemptOutcome, d: DestinationUpdate): Promise<void> {
    // A plain hold (the destination was already paused) sent nothing: no attempt to count or log.
    const sent = o.kind !== "held" || o.status !== null;
    const attempt: Attempt = {
      at: o.at,
      ok: o.kind === "delivered",
      status: o.status,
      latencyMs: Math.round(o.latencyMs),
      error: o.error,
      responseExcerpt: o.excerpt,
      nextAttemptAt: o.nextAttemptAt,
      outcome: o.kind,
    };
    await this.#run(
      RECORD_ATTEMPT,
      [`lc:outbox:${row.id}`],
      [
        o.kind,
        opt(o.status),
        o.at,
        opt(o.nextAttemptAt),
        o.nextAttemptAt ? Date.parse(o.nextAttemptAt) : 0,
        opt(o.leasedUntil),
        opt(o.error),
        sent ? "1" : "",
        JSON.stringify(attempt),
        d.ok ? "1" : "",
        opt(d.pause),
        row.site,
        row.destination,
      ],
    );
  }

  async claimDue(now: string, leaseUntil: string, limit: number, staleBefore?: string): Promise<string[]> {
    return (await this.#run(
      CLAIM_DUE,
      ["lc:outbox:due"],
      [now, Date.parse(now), leaseUntil, limit, staleBefore ?? ""],
    )) as string[];
  }

  async listDeliveries(
    filter: DeliveryFilter,
    options: { limit: number; cursor?: string | undefined },
  ): Promise<DeliveryPage> {
    const after = options.cursor ? (decodeCursor(options.cursor, isTimeAndId) as [string, string]) : null;
    const rows = (
      (await this.#run(
        LIST_DELIVERIES,
        [`lc:${filter.site}:outbox`],
        [JSON.stringify(filter), after ? `(${after[0]} ${after[1]}` : "+", options.limit + 1],
      )) as ScriptReply[]
    ).map((pairs) => toDelivery(toRecord(pairs)));
    const page = rows.slice(0, options.limit);
    const last = page.at(-1);
    return {
      deliveries: page.map(({ payload: _payload, ...rest }) => rest),
      nextCursor: rows.length > options.limit && last ? encodeCursor([last.createdAt, last.id]) : null,
    };
  }

  async listAttempts(id: string): Promise<Attempt[]> {
    const list = (await this.#redis.lrange(`lc:outbox:${id}:attempts`, 0, -1)) as string[];
    return list.map((a) => JSON.parse(a) as Attempt);
  }

  async replay(
    filter: DeliveryFilter & { ids?: string[] },
    now: string,
    leaseUntil: string,
    limit: number,
  ): Promise<string[]> {
    // Same id (the webhook-id) as before, so receivers dedupe; a fresh retry schedule.
    return (await this.#run(
      REPLAY,
      [`lc:${filter.site}:outbox`],
      [
        JSON.stringify({ ...filter, status: filter.status ?? "dead" }),
        now,
        Date.parse(now),
        leaseUntil,
        limit,
        filter.site,
      ],
    )) as string[];
  }

  async getDestinationState(site: string, destination: string): Promise<DestinationState> {
    const row = toRecord((await this.#redis.hgetall(`lc:${site}:dest:${destination}`)) as ScriptReply);
    return {
      paused: row.paused === "1",
      pausedReason: row.pausedReason ?? null,
      pausedAt: row.pausedAt ?? null,
      failingSince: row.failingSince ?? null,
      consecutiveFailures: Number(row.consecutiveFailures ?? 0),
      lastSuccessAt: row.lastSuccessAt ?? null,
      lastFailureAt: row.lastFailureAt ?? null,
    };
  }

  async pauseDestination(site: string, destination: string, reason: string, at: string): Promise<void> {
    await this.#run(PAUSE_DESTINATION, [`lc:${site}:dest:${destination}`], [reason, at]);
  }

  async resumeDestination(
    site: string,
    destination: string,
    now: string,
    leaseUntil: string,
  ): Promise<string[]> {
    return (await this.#run(
      RESUME_DESTINATION,
      [`lc:${site}:dest:${destination}`, `lc:${site}:held:${destination}`],
      [now, Date.parse(now), leaseUntil],
    )) as string[];
  }

  async countByDestination(
    site: string,
  ): Promise<Record<string, { pending: number; dead: number; delivered: number }>> {
    const counts = toRecord((await this.#redis.hgetall(`lc:${site}:outbox:counts`)) as ScriptReply);
    const out: Record<string, { pending: number; dead: number; delivered: number }> = {};
    for (const [field, value] of Object.entries(counts)) {
      const bar = field.lastIndexOf("|");
      const destination = field.slice(0, bar);
      const status = field.slice(bar + 1) as Delivery["status"];
      const n = Number(value);
      if (!n) continue;
      const entry = out[destination] ?? { pending: 0, dead: 0, delivered: 0 };
      entry[status] = n;
      out[destination] = entry;
    }
    return out;
  }
}
