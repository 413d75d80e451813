import { COUNTERS_LUA } from "./lib/counters.ts";
import { JSON_LUA } from "./lib/json.ts";
import { OUTBOX_LUA } from "./lib/outbox.ts";

/**
 * Ingest: idempotency → dedupe claim (SET NX) → create or merge → history → outbox → answer, all in
 * one atomic step. Replies { status, answer } with status one of new, merged, replay (the submission
 * id was answered before), own (this very call's retry after a lost reply). The rate limit is counted
 * just before, by @upstash/ratelimit (upstash/ratelimit.ts).
 *
 * KEYS: idem, dedupe, new lead hash, leads index, metrics of the day
 * ARGV: see UpstashIngest.ingest (upstash/ingest.ts).
 */
export const INGEST = `${JSON_LUA}${OUTBOX_LUA}${COUNTERS_LUA}
local token, site, sid, now, now_ms = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local seen = redis.call('GET', KEYS[1])
if seen then
  local bar = string.find(seen, '|', 1, true)
  local status = string.sub(seen, 1, bar - 1) == token and 'own' or 'replay'
  return {status, string.sub(seen, bar + 1)}
end
local dk, new_id, doc, score, temp, stage = ARGV[6], ARGV[7], ARGV[8], ARGV[11], ARGV[12], ARGV[13]
local version, created, form, channel = ARGV[16], ARGV[17], ARGV[18], ARGV[19]
local id, event_type, duplicate
if redis.call('SET', KEYS[2], new_id, 'NX') then
  id, event_type, duplicate = new_id, 'lead.created', 'false'
  redis.call('HSET', KEYS[3], 'site', site, 'dk', dk, 'first', sid, 'doc', doc, 'rev', 0, 'score', score,
    'temp', temp, 'stage', stage, 'count', 1, 'sv', version, 'createdAt', created,
    'day', string.sub(created, 1, 10), 'ch', channel, 'cp', ARGV[25], 'form', form, 'email', ARGV[23],
    'sm', ARGV[24] .. ' ' .. created .. ' ' .. id)
  redis.call('ZADD', KEYS[4], 0, created .. ' ' .. id)
  redis.call('ZADD', 'lc:' .. site .. ':byscore', 0, ARGV[24] .. ' ' .. created .. ' ' .. id)
  redis.call('SADD', 'lc:' .. site .. ':sv:' .. version, id)
  redis.call('SADD', 'lc:' .. site .. ':svs', version)
  count(site, string.sub(created, 1, 10), temp, stage, channel, form, 1, ARGV[25])
else
  id, event_type, duplicate = redis.call('GET', KEYS[2]), 'lead.merged', 'true'
  local key = 'lc:lead:' .. id
  local row = redis.call('HMGET', key, 'doc', 'score', 'temp', 'stage', 'count', 'sv', 'day', 'ch', 'sm', 'createdAt', 'cp')
  -- A repeat keeps the higher-scored result whole: its score, temperature, stage and reasons.
  -- The fill patch only fills gaps (the lead's own values win over it); the merge patch then overrides.
  doc = merge(merge(ARGV[22], row[1]), ARGV[9])
  if tonumber(score) > tonumber(row[2]) then
    doc = merge(doc, ARGV[10])
    rescore(site, key, row[9], ARGV[24] .. ' ' .. row[10] .. ' ' .. id)
  else score, temp, stage = row[2], row[3], row[4] end
  restate(site, row[7], row[8], row[3], row[4], temp, stage, row[11])
  local count = tonumber(row[5]) + 1
  local _, v = parse_object(row[1])
  local conversions = tonumber(v['"conversions"'] or '1')
  local last = v['"lastConversionAt"'] or v['"createdAt"']
  -- Past the site's dedupe window since the last conversion, this is a new conversion.
  if (now_ms - epoch_ms(last)) / 86400000 > tonumber(ARGV[14]) then
    conversions = conversions + 1
    last = '"' .. now .. '"'
  end
  doc = merge(doc, '{"submissionCount":' .. count .. ',"conversions":' .. conversions .. ',"lastConversionAt":' .. last .. '}')
  redis.call('HSET', key, 'doc', doc, 'score', score, 'temp', temp, 'stage', stage, 'count', count, 'sv', '')
  redis.call('HINCRBY', key, 'rev', 1)
  -- Stale until the merged lead is re-scored (right after the answer, or by the cron's sweep).
  redis.call('SREM', 'lc:' .. site .. ':sv:' .. row[6], id)
  redis.call('SADD', 'lc:' .. site .. ':sv:', id)
  redis.call('HINCRBY', KEYS[5], 'duplicates', 1)
end
redis.call('HINCRBY', KEYS[5], 'submissions', 1)
redis.call('RPUSH', 'lc:lead:' .. id .. ':subs', ARGV[15])
write_outbox(site, id, doc, 26, event_type, now, now_ms, ARGV[20], true)
local answer = '{"leadId":"' .. id .. '","duplicate":' .. duplicate .. ',"score":' .. score ..
  ',"temperature":"' .. temp .. '","stage":"' .. stage .. '"}'
redis.call('SET', KEYS[1], token .. '|' .. answer, 'EX', ARGV[21])
return {duplicate == 'true' and 'merged' or 'new', answer}
`;
