import { SCAN_OUTBOX_LUA } from "./lib/scan-outbox.ts";

/** KEYS: the site's outbox index. ARGV: filter, start bound, page size. Replies the rows' hashes. */
export const LIST_DELIVERIES = `${SCAN_OUTBOX_LUA}
local out = {}
scan(true, ARGV[2], tonumber(ARGV[3]), function(id)
  out[#out + 1] = redis.call('HGETALL', 'lc:outbox:' .. id)
end)
return out
`;
