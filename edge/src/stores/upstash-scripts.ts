/**
 * The Lua scripts of the Upstash adapter (stores/upstash.ts). Each runs atomically inside Redis and
 * costs one command and one round trip: that is how a lead, its history and its outbox rows are
 * written together or not at all, and how dedupe stays exact under any concurrency.
 *
 * Key layout (`lc:` prefix; site-scoped keys carry the site, per-lead keys the lead id, which is
 * globally unique, so the id-only port methods need no lookup):
 *   lc:<site>:idem:<submissionId>  string  "<attempt token>|<answer JSON>", TTL 35 days (the widget
 *                                          retries for 30): the idempotency record
 *   lc:<site>:dk:<dedupeKey>        string  lead id, claimed with SET NX: the dedupe index
 *   lc:<site>:leads                 zset    "<createdAt> <id>", all scores 0: paging by lex
 *   lc:<site>:byscore               zset    "<score %014.4f> <createdAt> <id>", all scores 0: by score
 *   lc:<site>:sv:<version>          set     lead ids last scored with that config ("" = stale, merged)
 *   lc:<site>:svs                   set     the versions in use
 *   lc:<site>:rl:<key>:<window>     string  rate-limit window counter (@upstash/ratelimit), TTL
 *   lc:<site>:m:<day>               hash    counters of leads created that day (by temperature, stage,
 *                                          channel, form), submissions, duplicates and spam of the day
 *   lc:<site>:stats:<day>           hash    widget event counters, field "<form>|<type>"
 *   lc:<site>:spam                  list    bot submissions (no lead, no delivery)
 *   lc:<site>:erasures              hash    erasure id → { at, removed } (no address)
 *   lc:lead:<id>                    hash    site, dk, first, doc, rev, score, temp, stage, count, sv,
 *                                          createdAt, day, ch (first-touch channel), form, email, sm
 *                                          (its by-score member)
 *   lc:lead:<id>:subs|events|stages list    submission records / events / stage changes (JSON)
 *   lc:lead:<id>:outcome            string  outcome JSON
 *   lc:lead:<id>:outbox             set     the lead's outbox row ids
 *   lc:outbox:<id>                  hash    one delivery: the DeliveryStore fields, payload included
 *   lc:outbox:<id>:attempts         list    its attempt log (JSON)
 *   lc:outbox:due                   zset    pending outbox row ids by next attempt (epoch ms)
 *   lc:<site>:outbox                zset    "<createdAt> <id>", all scores 0: a site's deliveries by time
 *   lc:<site>:outbox:counts         hash    "<destination>|<status>" → rows
 *   lc:<site>:dest:<destination>    hash    destination state (paused, failing since, …)
 *   lc:<site>:held:<destination>    set     rows held while the destination is paused
 * (the delivery side's scripts live in stores/upstash-delivery.ts)
 *
 * Keys read from data (the existing lead of a dedupe key) are not in KEYS: Upstash then runs the
 * script under its global lock (no `allow-key-locking` flag), which is what atomicity needs anyway.
 */

/**
 * JSON without decoding values: Redis's cjson turns `[]` into `{}` and rounds numbers to 14 digits,
 * so objects are split into raw key/value texts and only objects are descended into (RFC 7396 replaces
 * everything else whole). Keys stay in document order, new keys are appended (like SQLite json_patch).
 * Input is always JSON.stringify output: no whitespace.
 */
const JSON_LUA = `
local function skip_string(s, i)
  local j = i + 1
  while true do
    local k = string.find(s, '["\\\\]', j)
    if string.byte(s, k) == 92 then j = k + 2 else return k + 1 end
  end
end
local function skip_value(s, i)
  local c = string.byte(s, i)
  if c == 34 then return skip_string(s, i) end
  if c == 91 or c == 123 then
    local depth, j = 0, i
    while true do
      local k = string.find(s, '[%[%]{}"]', j)
      local b = string.byte(s, k)
      if b == 34 then j = skip_string(s, k)
      else
        if b == 91 or b == 123 then depth = depth + 1 else depth = depth - 1 end
        j = k + 1
        if depth == 0 then return j end
      end
    end
  end
  return string.find(s, '[,%]}]', i) or (#s + 1)
end
local function parse_object(s)
  local keys, vals = {}, {}
  if string.byte(s, 2) == 125 then return keys, vals end
  local i = 2
  while true do
    local j = skip_string(s, i)
    local key = string.sub(s, i, j - 1)
    local e = skip_value(s, j + 1)
    if vals[key] == nil then keys[#keys + 1] = key end
    vals[key] = string.sub(s, j + 1, e - 1)
    if string.byte(s, e) == 125 then return keys, vals end
    i = e + 1
  end
end
local function merge(target, patch)
  if string.byte(patch, 1) ~= 123 then return patch end
  local tk, tv = {}, {}
  if target and string.byte(target, 1) == 123 then tk, tv = parse_object(target) end
  local pk, pv = parse_object(patch)
  for _, key in ipairs(pk) do
    local v = pv[key]
    if v == 'null' then tv[key] = nil
    else
      if tv[key] == nil then tk[#tk + 1] = key end
      tv[key] = merge(tv[key], v)
    end
  end
  local out, seen = {}, {}
  for _, key in ipairs(tk) do
    if tv[key] ~= nil and not seen[key] then
      seen[key] = true
      out[#out + 1] = key .. ':' .. tv[key]
    end
  end
  return '{' .. table.concat(out, ',') .. '}'
end
-- Epoch ms of an ISO 8601 UTC time (Date#toISOString), by days-from-civil.
local function epoch_ms(iso)
  local y, m, d, hh, mm, ss = string.match(iso, '^"?(%d+)-(%d+)-(%d+)T(%d+):(%d+):([%d%.]+)')
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local doy = math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1
  local days = era * 146097 + yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy - 719468
  return ((days * 24 + tonumber(hh)) * 60 + tonumber(mm)) * 60000 + tonumber(ss) * 1000
end
`;

/** Writes one outbox row per (id, destination, event type or "") triple in ARGV from `first`. */
const OUTBOX_LUA = `
-- Rows come in triples (id, destination, event). The event overrides event_type; with \`only\` (a
-- submission) it is instead a condition: the row is written only if this write is that event.
local function write_outbox(site, lead_id, doc, first, event_type, now, now_ms, lease, only)
  local payload = '{"type":"' .. event_type .. '","timestamp":"' .. now .. '","data":' .. doc .. '}'
  local ids = {}
  local i = first
  while ARGV[i] do
    local id, destination = ARGV[i], ARGV[i + 1]
    if not (only and ARGV[i + 2] ~= '' and ARGV[i + 2] ~= event_type) then
      local et = (not only and ARGV[i + 2] ~= '') and ARGV[i + 2] or event_type
      local body = payload
      if et ~= event_type then body = '{"type":"' .. et .. '","timestamp":"' .. now .. '","data":' .. doc .. '}' end
      redis.call('HSET', 'lc:outbox:' .. id, 'id', id, 'site', site, 'leadId', lead_id, 'destination', destination,
        'eventType', et, 'payload', body, 'status', 'pending', 'attempts', 0, 'nextAttemptAt', now,
        'leasedUntil', lease, 'createdAt', now)
      redis.call('ZADD', 'lc:outbox:due', now_ms, id)
      redis.call('SADD', 'lc:lead:' .. lead_id .. ':outbox', id)
      redis.call('ZADD', 'lc:' .. site .. ':outbox', 0, now .. ' ' .. id)
      redis.call('HINCRBY', 'lc:' .. site .. ':outbox:counts', destination .. '|pending', 1)
      ids[#ids + 1] = id
    end
    i = i + 3
  end
  return ids
end
`;

/**
 * Dashboard counters, per site and lead creation day, kept equal to what a scan of the leads would
 * count (the D1 adapter's metrics do scan): a lead counts once under its temperature, stage, first-touch
 * channel and campaign (and as accepted when SQL or customer) and form, moved when it changes, removed
 * when erased.
 */
const METRICS_LUA = `
local ACCEPTED = { SQL = true, customer = true }
local function count(site, day, temp, stage, channel, form, sign, campaign)
  local key = 'lc:' .. site .. ':m:' .. day
  if channel == '' then channel = 'other' end
  redis.call('HINCRBY', key, 'leads', sign)
  redis.call('HINCRBY', key, 't:' .. temp, sign)
  redis.call('HINCRBY', key, 's:' .. stage, sign)
  redis.call('HINCRBY', key, 'c:' .. channel, sign)
  if ACCEPTED[stage] then redis.call('HINCRBY', key, 'a:' .. channel, sign) end
  if campaign and campaign ~= '' then
    redis.call('HINCRBY', key, 'p:' .. channel .. '|' .. campaign, sign)
    if ACCEPTED[stage] then redis.call('HINCRBY', key, 'pa:' .. channel .. '|' .. campaign, sign) end
  end
  redis.call('HINCRBY', key, 'f:' .. form, sign)
end
-- Moves a lead in the by-score index (members "<score %014.4f> <createdAt> <id>", all scores 0).
local function rescore(site, key, old_member, member)
  if old_member == member then return end
  local index = 'lc:' .. site .. ':byscore'
  if old_member then redis.call('ZREM', index, old_member) end
  redis.call('ZADD', index, 0, member)
  redis.call('HSET', key, 'sm', member)
end
local function restate(site, day, channel, old_temp, old_stage, temp, stage, campaign)
  local key = 'lc:' .. site .. ':m:' .. day
  if channel == '' then channel = 'other' end
  if old_temp ~= temp then
    redis.call('HINCRBY', key, 't:' .. old_temp, -1)
    redis.call('HINCRBY', key, 't:' .. temp, 1)
  end
  if old_stage ~= stage then
    redis.call('HINCRBY', key, 's:' .. old_stage, -1)
    redis.call('HINCRBY', key, 's:' .. stage, 1)
    local was, is = ACCEPTED[old_stage] or false, ACCEPTED[stage] or false
    if was ~= is then
      redis.call('HINCRBY', key, 'a:' .. channel, is and 1 or -1)
      if campaign and campaign ~= '' then
        redis.call('HINCRBY', key, 'pa:' .. channel .. '|' .. campaign, is and 1 or -1)
      end
    end
  end
end
`;

/**
 * Ingest: idempotency → dedupe claim (SET NX) → create or merge → history → outbox → answer, all in
 * one atomic step. Replies { status, answer } with status one of new, merged, replay (the submission
 * id was answered before), own (this very call's retry after a lost reply). The rate limit is counted
 * just before, by @upstash/ratelimit (stores/upstash-ratelimit.ts).
 *
 * KEYS: idem, dedupe, new lead hash, leads index, metrics of the day
 * ARGV: see UpstashLeadStore.ingest.
 */
export const INGEST = `${JSON_LUA}${OUTBOX_LUA}${METRICS_LUA}
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

/**
 * A guarded read-modify-write: applies only if the lead is still at ARGV[1]'s revision.
 * KEYS: lead hash. ARGV: rev, id, doc, score, temp, stage, version ("" keeps it), event count n,
 * stage change JSON or "", outcome JSON or "", updatedAt, updatedAt ms, lease, score member prefix,
 * then n event JSONs, then outbox triples (id, destination, event type).
 */
export const UPDATE = `${OUTBOX_LUA}${METRICS_LUA}
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

/**
 * A page of leads in index order from an exclusive lex bound, filtered; with a total of every match.
 * KEYS: the index (lc:<site>:leads by "<createdAt> <id>", or lc:<site>:byscore). ARGV: "desc"/"asc",
 * start bound, page size (limit + 1), "1" to count the total, filter JSON. Replies { members and
 * docs alternating, total or -1 }. A filter is a scan of the site's leads, as in SQL without an
 * index: fine for a console's list, not for hot paths.
 */
export const LIST_LEADS = `${JSON_LUA}
local desc, size, want_total = ARGV[1] == 'desc', tonumber(ARGV[3]), ARGV[4] == '1'
local f = cjson.decode(ARGV[5])
local function set(list)
  if type(list) ~= 'table' or #list == 0 then return nil end
  local s = {}
  for _, v in ipairs(list) do s[v] = true end
  return s
end
local temps, stages = set(f.temperatures), set(f.stages)
local q = type(f.q) == 'string' and f.q ~= '' and string.lower(f.q) or nil
local function text(raw)
  if not raw then return '' end
  if string.byte(raw, 1) == 34 then raw = string.gsub(string.sub(raw, 2, -2), '\\(.)', '%1') end
  return string.lower(raw)
end
local function field(doc, name)
  local _, top = parse_object(doc)
  local fields = top['"fields"']
  if not fields or string.byte(fields, 1) ~= 123 then return nil end
  local _, v = parse_object(fields)
  return v['"' .. name .. '"']
end
-- Returns the doc when the lead matches the filter, else nil.
local function match(member)
  local id = string.sub(member, (string.find(member, ' [^ ]*$')) + 1)
  local r = redis.call('HMGET', 'lc:lead:' .. id, 'doc', 'temp', 'stage', 'form', 'ch', 'createdAt', 'score', 'email')
  if not r[1] then return nil end
  if temps and not temps[r[2]] then return nil end
  if stages and not stages[r[3]] then return nil end
  if type(f.form) == 'string' and r[4] ~= f.form then return nil end
  if type(f.channel) == 'string' and r[5] ~= f.channel then return nil end
  if type(f.from) == 'string' and r[6] < f.from then return nil end
  if type(f.to) == 'string' and r[6] >= f.to then return nil end
  if type(f.minScore) == 'number' and tonumber(r[7]) < f.minScore then return nil end
  if type(f.maxScore) == 'number' and tonumber(r[7]) > f.maxScore then return nil end
  if q and not (string.find(string.lower(r[8] or ''), q, 1, true)
      or string.find(text(field(r[1], 'name')), q, 1, true)
      or string.find(text(field(r[1], 'company')), q, 1, true)) then return nil end
  return r[1]
end
local function scan(start, visit)
  local offset = 0
  while true do
    local chunk
    if desc then chunk = redis.call('ZREVRANGEBYLEX', KEYS[1], start, '-', 'LIMIT', offset, 200)
    else chunk = redis.call('ZRANGEBYLEX', KEYS[1], start, '+', 'LIMIT', offset, 200) end
    for _, member in ipairs(chunk) do
      if visit(member) == false then return end
    end
    if #chunk < 200 then return end
    offset = offset + 200
  end
end
local out = {}
scan(ARGV[2], function(member)
  local doc = match(member)
  if doc then
    out[#out + 1] = member
    out[#out + 1] = doc
  end
  if #out >= 2 * size then return false end
end)
local total = -1
if want_total then
  total = 0
  scan(desc and '+' or '-', function(member) if match(member) then total = total + 1 end end)
end
out[#out + 1] = total
return out
`;

/** KEYS: versions set. ARGV: site, current version, limit. */
export const TO_RESCORE = `
local versions = redis.call('SMEMBERS', KEYS[1])
versions[#versions + 1] = ''
local out, limit = {}, tonumber(ARGV[3])
for _, v in ipairs(versions) do
  if v ~= ARGV[2] and #out < limit then
    for _, id in ipairs(redis.call('SRANDMEMBER', 'lc:' .. ARGV[1] .. ':sv:' .. v, limit - #out)) do out[#out + 1] = id end
  end
end
return out
`;

const PERSON_LUA = `
local id = redis.call('GET', KEYS[1])
if not id then return false end
local base = 'lc:lead:' .. id
local outbox = redis.call('SMEMBERS', base .. ':outbox')
`;

/** KEYS: dedupe key. Replies false or { doc, subs, events, stages, outcome, rows }. */
export const EXPORT_PERSON = `${PERSON_LUA}
local rows = {}
for _, oid in ipairs(outbox) do
  rows[#rows + 1] = redis.call('HMGET', 'lc:outbox:' .. oid, 'id', 'destination', 'eventType', 'status', 'createdAt', 'payload')
end
return {redis.call('HGET', base, 'doc'), redis.call('LRANGE', base .. ':subs', 0, -1),
  redis.call('LRANGE', base .. ':events', 0, -1), redis.call('LRANGE', base .. ':stages', 0, -1),
  redis.call('GET', base .. ':outcome') or '', rows}
`;

/**
 * Erases a person in one step and records it without the address. KEYS: dedupe key, leads index,
 * erasures hash. ARGV: site, erasure id, at. Replies false or the removed counts as JSON.
 */
export const ERASE_PERSON = `${PERSON_LUA}${METRICS_LUA}
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

/**
 * A page of a site's leads with an outcome, after a lead id. KEYS: lc:<site>:outcomes (lead ids, all
 * at score 0, so in id order). ARGV: exclusive lower bound ("-" for the start), limit. Replies
 * { id, doc, outcome JSON, events (a list of JSON) } per lead.
 */
export const LIST_OUTCOMES = `
local ids = redis.call('ZRANGEBYLEX', KEYS[1], ARGV[1], '+', 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, id in ipairs(ids) do
  local base = 'lc:lead:' .. id
  out[#out + 1] = {id, redis.call('HGET', base, 'doc') or '', redis.call('GET', base .. ':outcome') or '',
    redis.call('LRANGE', base .. ':events', 0, -1)}
end
return out
`;

/** KEYS: the day counters and event counters of each day, in pairs. Replies their fields and values. */
export const METRICS = `
local out = {}
for i = 1, #KEYS do out[i] = redis.call('HGETALL', KEYS[i]) end
return out
`;
