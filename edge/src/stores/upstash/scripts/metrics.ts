/** KEYS: the day counters and event counters of each day, in pairs. Replies their fields and values. */
export const METRICS = `
local out = {}
for i = 1, #KEYS do out[i] = redis.call('HGETALL', KEYS[i]) end
return out
`;
