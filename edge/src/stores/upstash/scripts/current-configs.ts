/** KEYS: the set of sites. Replies site, version, config JSON, meta JSON per site with a saved config. */
export const CURRENT_CONFIGS = `
local out = {}
for _, site in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local key = 'lc:config:' .. site
  local head = redis.call('HGET', key, 'head')
  if head then
    local row = redis.call('HMGET', key, 'v:' .. head, 'm:' .. head)
    out[#out + 1] = site
    out[#out + 1] = head
    out[#out + 1] = row[1]
    out[#out + 1] = row[2]
  end
end
return out
`;
