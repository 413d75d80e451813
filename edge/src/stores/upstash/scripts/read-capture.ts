/**
 * KEYS: per day, its capture hash and the lead store's day counters. Only the spam total of the
 * latter leaves Redis.
 */
export const READ_CAPTURE = `
local out = {}
for i = 1, #KEYS, 2 do
  out[#out + 1] = redis.call('HGETALL', KEYS[i])
  local spam = 0
  local counters = redis.call('HGETALL', KEYS[i + 1])
  for j = 1, #counters, 2 do
    if string.sub(counters[j], 1, 5) == 'spam:' then spam = spam + tonumber(counters[j + 1]) end
  end
  out[#out + 1] = spam
end
return out
`;
