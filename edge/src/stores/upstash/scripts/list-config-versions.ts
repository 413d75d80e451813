/** KEYS: the site's config hash. ARGV: limit, before. Replies version and meta JSON pairs, newest first. */
export const LIST_CONFIG_VERSIONS = `
local head = tonumber(redis.call('HGET', KEYS[1], 'head') or '0')
local top = math.min(head, tonumber(ARGV[2]) - 1)
local out = {}
for v = top, math.max(1, top - tonumber(ARGV[1]) + 1), -1 do
  out[#out + 1] = v
  out[#out + 1] = redis.call('HGET', KEYS[1], 'm:' .. v)
end
return out
`;
