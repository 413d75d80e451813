/** KEYS: due index. ARGV: now, now ms, leaseUntil, limit. Oldest due first, skipping leased rows. */
export const CLAIM_DUE = `
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
