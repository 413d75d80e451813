import { COUNTERS_LUA } from "./lib/counters.ts";
import { OUTBOX_LUA } from "./lib/outbox.ts";

/**
 * A guarded read-modify-write: applies only if the lead is still at ARGV[1]'s revision.
 * KEYS: lead hash. ARGV: rev, id, doc, score, temp, stage, version ("" keeps it), event count n,
 * stage change JSON or "", outcome JSON or "", updatedAt, updatedAt ms, lease, score member prefix,
 * then n event JSONs, then outbox triples (id, destination, event type).
 */
export const UPDATE_LEAD = `${OUTBOX_LUA}${COUNTERS_LUA}
local row = redis.call('HMGET', KEYS[1], 'rev', 'site', 'sv', 'day', 'ch', 'temp', 'stage', 'sm', 'createdAt', 'cp')
if not row[1] or row[1] ~= ARGV[1] then return 0 end
local id, site = ARGV[2], row[2]
local base = 'lc:lead:' .. id
local n = tonumber(ARGV[8])
for i = 15, 14 + n do redis.call('RPUSH', base .. ':events', ARGV[i]) end
if ARGV[9] ~= '' then redis.call('RPUSH', base .. ':stages', ARGV[9]) end
if ARGV[10] ~= '' then
  redis.call('SET', base .. ':outcome', ARGV[10])
  redis.call('ZADD', 'lc:' .. site .. ':outcomes', 0, id)
end
restate(site, row[4], row[5], row[6], row[7], ARGV[5], ARGV[6], row[10])
rescore(site, KEYS[1], row[8], ARGV[14] .. ' ' .. row[9] .. ' ' .. id)
redis.call('HSET', KEYS[1], 'doc', ARGV[3], 'score', ARGV[4], 'temp', ARGV[5], 'stage', ARGV[6])
redis.call('HINCRBY', KEYS[1], 'rev', 1)
if ARGV[7] ~= '' then
  redis.call('SREM', 'lc:' .. site .. ':sv:' .. row[3], id)
  redis.call('SADD', 'lc:' .. site .. ':sv:' .. ARGV[7], id)
  redis.call('SADD', 'lc:' .. site .. ':svs', ARGV[7])
  redis.call('HSET', KEYS[1], 'sv', ARGV[7])
end
write_outbox(site, id, ARGV[3], 15 + n, 'lead.updated', ARGV[11], tonumber(ARGV[12]), ARGV[13])
return 1
`;
