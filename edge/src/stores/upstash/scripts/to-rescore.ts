/** KEYS: versions set. ARGV: site, current version, limit. */
export const TO_RESCORE = `
local versions = redis.call('SMEMBERS', KEYS[1])
versions[#versions + 1] = ''
local out, limit = {}, tonumber(ARGV[3])
for _, v in ipairs(versions) do
  if v ~= ARGV[2] and #out < limit then
    for _, id in ipairs(redis.call('SRANDMEMBER', 'lc:' .. ARGV[1] .. ':sv:' .. v, limit - #out)) do out[#out + 1] = id end
  end
end
return out
`;
