/** KEYS: the members hash. ARGV: email, member JSON. Keeps the first createdAt; replies the member saved. */
export const SAVE_MEMBER = `
local member = cjson.decode(ARGV[2])
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if raw then member['createdAt'] = cjson.decode(raw)['createdAt'] end
local out = cjson.encode(member)
redis.call('HSET', KEYS[1], ARGV[1], out)
return out
`;
