import { PERSON_LUA } from "./lib/person.ts";

/** KEYS: dedupe key. Replies false or { doc, subs, events, stages, outcome, rows }. */
export const EXPORT_PERSON = `${PERSON_LUA}
local rows = {}
for _, oid in ipairs(outbox) do
  rows[#rows + 1] = redis.call('HMGET', 'lc:outbox:' .. oid, 'id', 'destination', 'eventType', 'status', 'createdAt', 'payload')
end
return {redis.call('HGET', base, 'doc'), redis.call('LRANGE', base .. ':subs', 0, -1),
  redis.call('LRANGE', base .. ':events', 0, -1), redis.call('LRANGE', base .. ':stages', 0, -1),
  redis.call('GET', base .. ':outcome') or '', rows}
`;
