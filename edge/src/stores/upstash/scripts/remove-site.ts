/**
 * Removes a site in one step. KEYS: its leads index, its outbox index, lc:configs, lc:config:<site>,
 * lc:tokens, lc:members, lc:outbox:due. ARGV: site, at. Replies the counts as JSON.
 *
 * Leads and outbox rows are found through the site's indexes (their keys carry a global id, not the
 * site); the site's own keys (lc:<site>:…) by SCAN, keeping only the names the layout gives them
 * (layout.ts): `lc:<site>:` is also the prefix of other namespaces for some site ids (lc:lead:<id>).
 */
export const REMOVE_SITE = `
local site, at = ARGV[1], ARGV[2]
local n = { configVersions = 0, leads = 0, submissions = 0, events = 0, stages = 0, outcomes = 0,
  deliveries = 0, attempts = 0, other = 0, tokens = 0, members = 0 }
for _, field in ipairs(redis.call('HKEYS', KEYS[4])) do
  if string.sub(field, 1, 2) == 'v:' then n.configVersions = n.configVersions + 1 end
end
redis.call('DEL', KEYS[4])
redis.call('SREM', KEYS[3], site)
local outbox = {}
local function id_of(member) return string.sub(member, (string.find(member, ' ', 1, true)) + 1) end
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local base = 'lc:lead:' .. id_of(member)
  n.leads = n.leads + 1
  n.submissions = n.submissions + redis.call('LLEN', base .. ':subs')
  n.events = n.events + redis.call('LLEN', base .. ':events')
  n.stages = n.stages + redis.call('LLEN', base .. ':stages')
  n.outcomes = n.outcomes + redis.call('EXISTS', base .. ':outcome')
  for _, oid in ipairs(redis.call('SMEMBERS', base .. ':outbox')) do outbox[oid] = true end
  redis.call('DEL', base, base .. ':subs', base .. ':events', base .. ':stages', base .. ':outcome', base .. ':outbox')
end
for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do outbox[id_of(member)] = true end
for oid in pairs(outbox) do
  local key = 'lc:outbox:' .. oid
  n.deliveries = n.deliveries + redis.call('EXISTS', key)
  n.attempts = n.attempts + redis.call('LLEN', key .. ':attempts')
  redis.call('DEL', key, key .. ':attempts')
  redis.call('ZREM', KEYS[7], oid)
end
redis.call('DEL', KEYS[1], KEYS[2])
local prefix = 'lc:' .. site .. ':'
local fixed = { byscore = true, svs = true, spam = true, erasures = true, outcomes = true, ['outbox:counts'] = true }
local families = { 'idem:', 'dk:', 'sv:', 'rl:', 'm:', 'stats:', 'cap:', 'dest:', 'held:' }
local cursor = '0'
repeat
  local page = redis.call('SCAN', cursor, 'MATCH', prefix .. '*', 'COUNT', 1000)
  cursor = page[1]
  for _, key in ipairs(page[2]) do
    local rest = string.sub(key, #prefix + 1)
    local ours = fixed[rest] or false
    for _, family in ipairs(families) do
      if not ours and string.sub(rest, 1, #family) == family then ours = true end
    end
    if ours then n.other = n.other + redis.call('DEL', key) end
  end
until cursor == '0'
local tokens = redis.call('HGETALL', KEYS[5])
for i = 1, #tokens, 2 do
  local token = cjson.decode(tokens[i + 1])
  if type(token.sites) == 'table' then
    local kept, named = {}, false
    for _, s in ipairs(token.sites) do
      if s == site then named = true else kept[#kept + 1] = s end
    end
    if named then
      token.sites = kept
      local text = cjson.encode(token)
      -- cjson writes an empty table as an object; the site list is an array.
      if #kept == 0 then text = string.gsub(text, '"sites":{}', '"sites":[]') end
      redis.call('HSET', KEYS[5], tokens[i], text)
      n.tokens = n.tokens + 1
    end
  end
end
local members = redis.call('HGETALL', KEYS[6])
for i = 1, #members, 2 do
  local member = cjson.decode(members[i + 1])
  if type(member.roles) == 'table' and member.roles[site] ~= nil then
    member.roles[site] = nil
    member.updatedAt = at
    redis.call('HSET', KEYS[6], members[i], cjson.encode(member))
    n.members = n.members + 1
  end
end
return cjson.encode(n)
`;
