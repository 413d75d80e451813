/**
 * KEYS: the tokens hash. ARGV: id, field (revokedAt | lastUsedAt), time, and the time a field already
 * set must not be after (empty: the field must be unset). 1 if written.
 */
export const UPDATE_TOKEN = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local token = cjson.decode(raw)
local current = token[ARGV[2]]
if current ~= nil and current ~= cjson.null then
  if ARGV[4] == '' or current > ARGV[4] then return 0 end
end
token[ARGV[2]] = ARGV[3]
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(token))
return 1
`;
