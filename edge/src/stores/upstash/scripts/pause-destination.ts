/** KEYS: destination state. ARGV: reason, at. A second pause keeps the first reason and time. */
export const PAUSE_DESTINATION = `
if redis.call('HGET', KEYS[1], 'paused') ~= '1' then
  redis.call('HSET', KEYS[1], 'paused', 1, 'pausedReason', ARGV[1], 'pausedAt', ARGV[2])
end
return 1
`;
