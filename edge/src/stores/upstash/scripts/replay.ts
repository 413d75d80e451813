import { OPTIONAL_LUA } from "./lib/optional.ts";
import { SCAN_OUTBOX_LUA } from "./lib/scan-outbox.ts";

/** KEYS: the site's outbox index. ARGV: filter, now, now ms, leaseUntil, limit, site. Oldest first. */
export const REPLAY = `${SCAN_OUTBOX_LUA}${OPTIONAL_LUA}
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
