/**
 * KEYS: one sorted set per entry (its site's). ARGV: one member per key, "<id>|<entry JSON>". All members
 * score 0, so the set orders them by id (a ULID: by time).
 */
export const APPEND_AUDIT = `
for i = 1, #KEYS do redis.call('ZADD', KEYS[i], 0, ARGV[i]) end
return #KEYS
`;
