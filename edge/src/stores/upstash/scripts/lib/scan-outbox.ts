/** Shared by listing and replay: a filter (JSON) over a site's rows, scanned by creation time. */
export const SCAN_OUTBOX_LUA = `
local f = cjson.decode(ARGV[1])
local ids
if type(f.ids) == 'table' then
  ids = {}
  for _, id in ipairs(f.ids) do ids[id] = true end
end
local function matches(id)
  local r = redis.call('HMGET', 'lc:outbox:' .. id, 'status', 'destination', 'leadId', 'createdAt')
  if not r[1] then return false end
  if type(f.status) == 'string' and r[1] ~= f.status then return false end
  if type(f.destination) == 'string' and r[2] ~= f.destination then return false end
  if type(f.leadId) == 'string' and r[3] ~= f.leadId then return false end
  if type(f.since) == 'string' and r[4] < f.since then return false end
  if type(f['until']) == 'string' and r[4] >= f['until'] then return false end
  if ids and not ids[id] then return false end
  return true
end
local function scan(desc, start, limit, visit)
  local offset, n = 0, 0
  while n < limit do
    local chunk
    if desc then chunk = redis.call('ZREVRANGEBYLEX', KEYS[1], start, '-', 'LIMIT', offset, 200)
    else chunk = redis.call('ZRANGEBYLEX', KEYS[1], start, '+', 'LIMIT', offset, 200) end
    for _, member in ipairs(chunk) do
      local id = string.sub(member, (string.find(member, ' ', 1, true)) + 1)
      if n < limit and matches(id) then
        n = n + 1
        visit(id, member)
      end
    end
    if #chunk < 200 then return end
    offset = offset + 200
  end
end
`;
