import { HELD_UNTIL } from "../../ports/delivery.ts";
import { OPTIONAL_LUA } from "./lib/optional.ts";

/**
 * KEYS: row. ARGV: kind, status?, at, nextAttemptAt?, next ms, leasedUntil?, error?, sent, attempt
 * JSON, ok, pause reason?, site, destination. The row changes only while pending; the attempt log
 * and the destination's state are written whatever the row's state (as the D1 adapter does).
 */
export const RECORD_ATTEMPT = `${OPTIONAL_LUA}
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
