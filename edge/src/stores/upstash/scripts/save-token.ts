/** KEYS: the tokens hash, the hashes hash. ARGV: id, token JSON, secret hash. Writes the token and its lookup. */
export const SAVE_TOKEN = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[3], ARGV[1])
return 1
`;
