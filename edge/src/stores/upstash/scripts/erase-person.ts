import { COUNTERS_LUA } from "./lib/counters.ts";
import { PERSON_LUA } from "./lib/person.ts";

/**
 * Erases a person in one step and records it without the address. KEYS: dedupe key, leads index,
 * erasures hash. ARGV: site, erasure id, at. Replies false or the removed counts as JSON.
 */
export const ERASE_PERSON = `${PERSON_LUA}${COUNTERS_LUA}
local site = ARGV[1]
local row = redis.call('HMGET', base, 'createdAt', 'sv', 'day', 'temp', 'stage', 'ch', 'form', 'sm', 'cp')
if row[8] then redis.call('ZREM', 'lc:' .. site .. ':byscore', row[8]) end
count(site, row[3], row[4], row[5], row[6], row[7], -1, row[9])
local subs = redis.call('LRANGE', base .. ':subs', 0, -1)
for _, record in ipairs(subs) do
  local sid = string.match(record, '^{"submissionId":"([^"]*)"')
  if sid then redis.call('DEL', 'lc:' .. site .. ':idem:' .. sid) end
end
for _, oid in ipairs(outbox) do
  local o = redis.call('HMGET', 'lc:outbox:' .. oid, 'destination', 'status', 'createdAt')
  if o[1] then
    redis.call('ZREM', 'lc:' .. site .. ':outbox', o[3] .. ' ' .. oid)
    redis.call('HINCRBY', 'lc:' .. site .. ':outbox:counts', o[1] .. '|' .. o[2], -1)
    redis.call('SREM', 'lc:' .. site .. ':held:' .. o[1], oid)
  end
  redis.call('DEL', 'lc:outbox:' .. oid, 'lc:outbox:' .. oid .. ':attempts')
  redis.call('ZREM', 'lc:outbox:due', oid)
end
local removed = '{"leads":1,"submissions":' .. #subs .. ',"events":' .. redis.call('LLEN', base .. ':events') ..
  ',"stages":' .. redis.call('LLEN', base .. ':stages') .. ',"outcomes":' .. redis.call('EXISTS', base .. ':outcome') ..
  ',"deliveries":' .. #outbox .. '}'
redis.call('DEL', base, base .. ':subs', base .. ':events', base .. ':stages', base .. ':outcome', base .. ':outbox', KEYS[1])
redis.call('ZREM', KEYS[2], row[1] .. ' ' .. id)
redis.call('ZREM', 'lc:' .. site .. ':outcomes', id)
redis.call('SREM', 'lc:' .. site .. ':sv:' .. (row[2] or ''), id)
redis.call('HSET', KEYS[3], ARGV[2], '{"at":"' .. ARGV[3] .. '","removed":' .. removed .. '}')
return removed
`;
