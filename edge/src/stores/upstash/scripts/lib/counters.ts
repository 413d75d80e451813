/**
 * Dashboard counters, per site and lead creation day, kept equal to what a scan of the leads would
 * count (the D1 adapter's metrics do scan): a lead counts once under its temperature, stage, first-touch
 * channel and campaign (and as accepted when SQL or customer) and form, moved when it changes, removed
 * when erased.
 */
export const COUNTERS_LUA = `
local ACCEPTED = { SQL = true, customer = true }
local function count(site, day, temp, stage, channel, form, sign, campaign)
  local key = 'lc:' .. site .. ':m:' .. day
  if channel == '' then channel = 'other' end
  redis.call('HINCRBY', key, 'leads', sign)
  redis.call('HINCRBY', key, 't:' .. temp, sign)
  redis.call('HINCRBY', key, 's:' .. stage, sign)
  redis.call('HINCRBY', key, 'c:' .. channel, sign)
  if ACCEPTED[stage] then redis.call('HINCRBY', key, 'a:' .. channel, sign) end
  if campaign and campaign ~= '' then
    redis.call('HINCRBY', key, 'p:' .. channel .. '|' .. campaign, sign)
    if ACCEPTED[stage] then redis.call('HINCRBY', key, 'pa:' .. channel .. '|' .. campaign, sign) end
  end
  redis.call('HINCRBY', key, 'f:' .. form, sign)
end
-- Moves a lead in the by-score index (members "<score %014.4f> <createdAt> <id>", all scores 0).
local function rescore(site, key, old_member, member)
  if old_member == member then return end
  local index = 'lc:' .. site .. ':byscore'
  if old_member then redis.call('ZREM', index, old_member) end
  redis.call('ZADD', index, 0, member)
  redis.call('HSET', key, 'sm', member)
end
local function restate(site, day, channel, old_temp, old_stage, temp, stage, campaign)
  local key = 'lc:' .. site .. ':m:' .. day
  if channel == '' then channel = 'other' end
  if old_temp ~= temp then
    redis.call('HINCRBY', key, 't:' .. old_temp, -1)
    redis.call('HINCRBY', key, 't:' .. temp, 1)
  end
  if old_stage ~= stage then
    redis.call('HINCRBY', key, 's:' .. old_stage, -1)
    redis.call('HINCRBY', key, 's:' .. stage, 1)
    local was, is = ACCEPTED[old_stage] or false, ACCEPTED[stage] or false
    if was ~= is then
      redis.call('HINCRBY', key, 'a:' .. channel, is and 1 or -1)
      if campaign and campaign ~= '' then
        redis.call('HINCRBY', key, 'pa:' .. channel .. '|' .. campaign, is and 1 or -1)
      end
    end
  end
end
`;
