import { JSON_LUA } from "./lib/json.ts";

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
