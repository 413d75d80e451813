/**
 * Helpers of the delivery scripts: `opt` reads a nullable argument ("" for null, "v" + text
 * otherwise), `put` sets or clears a field, `move` moves a row between the per-status counts.
 */
export const OPTIONAL_LUA = `
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
