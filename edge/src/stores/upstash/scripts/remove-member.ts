/** KEYS: the members hash. ARGV: email. 1 if removed. */
export const REMOVE_MEMBER = `
return redis.call('HDEL', KEYS[1], ARGV[1])
`;
