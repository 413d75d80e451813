/** The start of the person scripts: the lead of a dedupe key (KEYS[1]) and its outbox rows. */
export const PERSON_LUA = `
local id = redis.call('GET', KEYS[1])
if not id then return false end
local base = 'lc:lead:' .. id
local outbox = redis.call('SMEMBERS', base .. ':outbox')
`;
