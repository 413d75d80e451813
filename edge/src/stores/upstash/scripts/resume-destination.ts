import { HELD_UNTIL } from "../../ports/delivery.ts";

/** KEYS: destination state, held set. ARGV: now, now ms, leaseUntil. Replies the released ids. */
export const RESUME_DESTINATION = `
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
