/** Writes one outbox row per (id, destination, event type or "") triple in ARGV from `first`. */
export const OUTBOX_LUA = `
-- Rows come in triples (id, destination, event). The event overrides event_type; with \`only\` (a
-- submission) it is instead a condition: the row is written only if this write is that event.
local function write_outbox(site, lead_id, doc, first, event_type, now, now_ms, lease, only)
  local payload = '{"type":"' .. event_type .. '","timestamp":"' .. now .. '","data":' .. doc .. '}'
  local ids = {}
  local i = first
  while ARGV[i] do
    local id, destination = ARGV[i], ARGV[i + 1]
    if not (only and ARGV[i + 2] ~= '' and ARGV[i + 2] ~= event_type) then
      local et = (not only and ARGV[i + 2] ~= '') and ARGV[i + 2] or event_type
      local body = payload
      if et ~= event_type then body = '{"type":"' .. et .. '","timestamp":"' .. now .. '","data":' .. doc .. '}' end
      redis.call('HSET', 'lc:outbox:' .. id, 'id', id, 'site', site, 'leadId', lead_id, 'destination', destination,
        'eventType', et, 'payload', body, 'status', 'pending', 'attempts', 0, 'nextAttemptAt', now,
        'leasedUntil', lease, 'createdAt', now)
      redis.call('ZADD', 'lc:outbox:due', now_ms, id)
      redis.call('SADD', 'lc:lead:' .. lead_id .. ':outbox', id)
      redis.call('ZADD', 'lc:' .. site .. ':outbox', 0, now .. ' ' .. id)
      redis.call('HINCRBY', 'lc:' .. site .. ':outbox:counts', destination .. '|pending', 1)
      ids[#ids + 1] = id
    end
    i = i + 3
  end
  return ids
end
`;
