/**
 * JSON without decoding values: Redis's cjson turns `[]` into `{}` and rounds numbers to 14 digits,
 * so objects are split into raw key/value texts and only objects are descended into (RFC 7396 replaces
 * everything else whole). Keys stay in document order, new keys are appended (like SQLite json_patch).
 * Input is always JSON.stringify output: no whitespace.
 */
export const JSON_LUA = `
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
