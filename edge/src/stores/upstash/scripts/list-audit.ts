/** KEYS: the site's sorted set, the one for every site. ARGV: the max bound ("+" or "(<id>"), limit. */
export const LIST_AUDIT = `
local out = {}
for i = 1, #KEYS do
  local rows = redis.call('ZREVRANGEBYLEX', KEYS[i], ARGV[1], '-', 'LIMIT', 0, tonumber(ARGV[2]))
  for _, row in ipairs(rows) do out[#out + 1] = row end
end
return out
`;
