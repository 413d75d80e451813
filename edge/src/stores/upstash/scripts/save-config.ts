/** KEYS: the site's config hash, the set of sites. ARGV: version, config JSON, meta JSON, site. 1 if saved. */
export const SAVE_CONFIG = `
local head = tonumber(redis.call('HGET', KEYS[1], 'head') or '0')
if head ~= tonumber(ARGV[1]) - 1 then return 0 end
redis.call('HSET', KEYS[1], 'head', ARGV[1], 'v:' .. ARGV[1], ARGV[2], 'm:' .. ARGV[1], ARGV[3])
redis.call('SADD', KEYS[2], ARGV[4])
return 1
`;
