/**
 * The Upstash Redis adapter of the DeliveryStore port: the outbox rows the Upstash LeadStore writes
 * with each lead (key layout in stores/upstash-scripts.ts), attempts, leases for the sweep, dead
 * letters and replay, paused destinations. Every write is one Lua script: one command, one round
 * trip, atomic like the D1 adapter's batches. The contract suite (tests/contract/delivery.test.ts)
 * holds it to the D1 adapter's behaviour.
 */
import { decodeCursor, encodeCursor, isTimeAndId } from "./cursor.ts";
import { HELD_UNTIL } from "./d1-delivery.ts";
import type {
  Attempt,
  AttemptContext,
  AttemptOutcome,
  Delivery,
  DeliveryFilter,
  DeliveryPage,
  DeliveryStore,
  DestinationState,
  DestinationUpdate,
} from "./delivery-port.ts";
import { type RedisCommands, runScript, type ScriptReply } from "./upstash-rest.ts";

/** A nullable text as a script argument: "" for null, "v" + text otherwise. */
const opt = (value: string | number | null | undefined) =>
  value === null || value === undefined ? "" : `v${value}`;

const OPT_LUA = `
local function opt(s) if s == '' then return nil end return string.sub(s, 2) end
local function put(key, field, value)
  if value == nil then redis.call('HDEL', key, field) else redis.call('HSET', key, field, value) end
end
local function move(site, destination, from, to)
  local counts = 'lc:' .. site .. ':outbox:counts'
  if from == to then return end
  redis.call('HINCRBY', counts, destination .. '|' .. from, -1)
  redis.call('HINCRBY', counts, destination .. '|' .. to, 1)
end
`;

/**
 * KEYS: row. ARGV: kind, status?, at, nextAttemptAt?, next ms, leasedUntil?, error?, sent, attempt
 * JSON, ok, pause reason?, site, destination. The row changes only while pending; the attempt log
 * and the destination's state are written whatever the row's state (as the D1 adapter does).
 */
const RECORD_ATTEMPT = `${OPT_LUA}
local kind, status, at, next_at, next_ms = ARGV[1], opt(ARGV[2]), ARGV[3], opt(ARGV[4]), ARGV[5]
local lease, err, sent, site, destination = opt(ARGV[6]), opt(ARGV[7]), ARGV[8] == '1', ARGV[12], ARGV[13]
local key = KEYS[1]
local id = string.sub(key, 11) -- after 'lc:outbox:'
local dest = 'lc:' .. site .. ':dest:' .. destination
if redis.call('HGET', key, 'status') == 'pending' then
  if sent then
    redis.call('HINCRBY', key, 'attempts', 1)
    put(key, 'lastStatus', status)
    redis.call('HSET', key, 'lastAttemptAt', at)
  end
  if kind == 'delivered' then
    redis.call('HSET', key, 'status', 'delivered', 'deliveredAt', at)
    redis.call('HDEL', key, 'leasedUntil', 'lastError')
    redis.call('ZREM', 'lc:outbox:due', id)
    move(site, destination, 'pending', 'delivered')
  elseif kind == 'retry' then
    redis.call('HSET', key, 'nextAttemptAt', next_at)
    put(key, 'leasedUntil', lease)
    put(key, 'lastError', err)
    redis.call('ZADD', 'lc:outbox:due', next_ms, id)
  elseif kind == 'dead' then
    redis.call('HSET', key, 'status', 'dead', 'deadAt', at)
    redis.call('HDEL', key, 'leasedUntil')
    put(key, 'lastError', err)
    redis.call('ZREM', 'lc:outbox:due', id)
    move(site, destination, 'pending', 'dead')
  elseif kind == 'held' then
    redis.call('HSET', key, 'nextAttemptAt', '${HELD_UNTIL}')
    redis.call('HDEL', key, 'leasedUntil')
    if err then redis.call('HSET', key, 'lastError', err) end
    redis.call('ZREM', 'lc:outbox:due', id)
    redis.call('SADD', 'lc:' .. site .. ':held:' .. destination, id)
  end
end
if sent then
  redis.call('RPUSH', key .. ':attempts', ARGV[9])
  if ARGV[10] == '1' then
    redis.call('HSET', dest, 'consecutiveFailures', 0, 'lastSuccessAt', at)
    redis.call('HDEL', dest, 'failingSince')
  else
    redis.call('HINCRBY', dest, 'consecutiveFailures', 1)
    redis.call('HSETNX', dest, 'failingSince', at)
    redis.call('HSET', dest, 'lastFailureAt', at)
  end
end
if ARGV[11] ~= '' and redis.call('HGET', dest, 'paused') ~= '1' then
  redis.call('HSET', dest, 'paused', 1, 'pausedReason', opt(ARGV[11]), 'pausedAt', at)
end
return 1
`;

/** KEYS: due index. ARGV: now, now ms, leaseUntil, limit. Oldest due first, skipping leased rows. */
const CLAIM_DUE = `
local now, lease, limit, stale = ARGV[1], ARGV[3], tonumber(ARGV[4]), ARGV[5]
local out, offset = {}, 0
while #out < limit do
  local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', offset, 100)
  for _, id in ipairs(ids) do
    local r = redis.call('HMGET', 'lc:outbox:' .. id, 'status', 'leasedUntil', 'nextAttemptAt', 'attempts')
    -- Lost: the lease ran out, or (with stale) never attempted and due since before it, whatever its lease.
    local lost = not r[2] or r[2] < now or (stale ~= '' and tonumber(r[4] or '0') == 0 and r[3] < stale)
    if r[1] == 'pending' and lost and r[3] <= now and #out < limit then
      redis.call('HSET', 'lc:outbox:' .. id, 'leasedUntil', lease)
      out[#out + 1] = id
    end
  end
  if #ids < 100 then break end
  offset = offset + 100
end
return out
`;

/** Shared by listing and replay: a filter (JSON) over a site's rows, scanned by creation time. */
const SCAN_LUA = `
local f = cjson.decode(ARGV[1])
local ids
if type(f.ids) == 'table' then
  ids = {}
  for _, id in ipairs(f.ids) do ids[id] = true end
end
local function matches(id)
  local r = redis.call('HMGET', 'lc:outbox:' .. id, 'status', 'destination', 'leadId', 'createdAt')
  if not r[1] then return false end
  if type(f.status) == 'string' and r[1] ~= f.status then return false end
  if type(f.destination) == 'string' and r[2] ~= f.destination then return false end
  if type(f.leadId) == 'string' and r[3] ~= f.leadId then return false end
  if type(f.since) == 'string' and r[4] < f.since then return false end
  if type(f['until']) == 'string' and r[4] >= f['until'] then return false end
  if ids and not ids[id] then return false end
  return true
end
local function scan(desc, start, limit, visit)
  local offset, n = 0, 0
  while n < limit do
    local chunk
    if desc then chunk = redis.call('ZREVRANGEBYLEX', KEYS[1], start, '-', 'LIMIT', offset, 200)
    else chunk = redis.call('ZRANGEBYLEX', KEYS[1], start, '+', 'LIMIT', offset, 200) end
    for _, member in ipairs(chunk) do
      local id = string.sub(member, (string.find(member, ' ', 1, true)) + 1)
      if n < limit and matches(id) then
        n = n + 1
        visit(id, member)
      end
    end
    if #chunk < 200 then return end
    offset = offset + 200
  end
end
`;

/** KEYS: the site's outbox index. ARGV: filter, start bound, page size. Replies the rows' hashes. */
const LIST = `${SCAN_LUA}
local out = {}
scan(true, ARGV[2], tonumber(ARGV[3]), function(id)
  out[#out + 1] = redis.call('HGETALL', 'lc:outbox:' .. id)
end)
return out
`;

/** KEYS: the site's outbox index. ARGV: filter, now, now ms, leaseUntil, limit, site. Oldest first. */
const REPLAY = `${SCAN_LUA}${OPT_LUA}
local out = {}
scan(false, '-', tonumber(ARGV[5]), function(id)
  local key = 'lc:outbox:' .. id
  local r = redis.call('HMGET', key, 'status', 'destination')
  redis.call('HSET', key, 'status', 'pending', 'attempts', 0, 'nextAttemptAt', ARGV[2], 'leasedUntil', ARGV[4])
  redis.call('HINCRBY', key, 'replays', 1)
  redis.call('HDEL', key, 'deadAt', 'deliveredAt')
  redis.call('ZADD', 'lc:outbox:due', ARGV[3], id)
  redis.call('SREM', 'lc:' .. ARGV[6] .. ':held:' .. r[2], id)
  move(ARGV[6], r[2], r[1], 'pending')
  out[#out + 1] = id
end)
return out
`;

/** KEYS: destination state. ARGV: reason, at. A second pause keeps the first reason and time. */
const PAUSE = `
if redis.call('HGET', KEYS[1], 'paused') ~= '1' then
  redis.call('HSET', KEYS[1], 'paused', 1, 'pausedReason', ARGV[1], 'pausedAt', ARGV[2])
end
return 1
`;

/** KEYS: destination state, held set. ARGV: now, now ms, leaseUntil. Replies the released ids. */
const RESUME = `
redis.call('HSET', KEYS[1], 'paused', 0, 'consecutiveFailures', 0)
redis.call('HDEL', KEYS[1], 'pausedReason', 'pausedAt', 'failingSince')
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local key = 'lc:outbox:' .. id
  local r = redis.call('HMGET', key, 'status', 'nextAttemptAt')
  if r[1] == 'pending' and r[2] == '${HELD_UNTIL}' then
    redis.call('HSET', key, 'nextAttemptAt', ARGV[1], 'leasedUntil', ARGV[3])
    redis.call('ZADD', 'lc:outbox:due', ARGV[2], id)
    out[#out + 1] = id
  end
end
redis.call('DEL', KEYS[2])
table.sort(out)
return out
`;

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
        LIST,
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
    await this.#run(PAUSE, [`lc:${site}:dest:${destination}`], [reason, at]);
  }

  async resumeDestination(
    site: string,
    destination: string,
    now: string,
    leaseUntil: string,
  ): Promise<string[]> {
    return (await this.#run(
      RESUME,
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
