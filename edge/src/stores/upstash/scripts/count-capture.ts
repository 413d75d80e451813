/**
 * ARGV: the day's limit of counters, the other-origins name, then (prefix, origin, count, at) per entry.
 * Two fields per counter, so the limit is on HLEN / 2.
 */
export const COUNT_CAPTURE = `
local limit = tonumber(ARGV[1])
for i = 3, #ARGV, 4 do
  local field = ARGV[i] .. ARGV[i + 1]
  if redis.call('HEXISTS', KEYS[1], field) == 0 and redis.call('HLEN', KEYS[1]) >= limit * 2 then
    field = ARGV[i] .. ARGV[2]
  end
  redis.call('HINCRBY', KEYS[1], field, ARGV[i + 2])
  local seen = redis.call('HGET', KEYS[1], '@' .. field)
  if not seen or seen < ARGV[i + 3] then redis.call('HSET', KEYS[1], '@' .. field, ARGV[i + 3]) end
end
return 1
`;
