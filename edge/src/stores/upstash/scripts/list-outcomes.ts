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
