/**
 * The store's Lua scripts. Each touches only the keys it is given, all in one hash slot (a
 * session's keys share the `{<session id>}` tag; a quota group shares its own), so the same
 * scripts run on one primary and on a cluster. Called by SHA first, by text when Redis has not
 * seen them (a restart, a new node, a failover).
 */
import { createHash } from 'node:crypto';

export interface Script {
  readonly text: string;
  readonly sha: string;
}

function script(text: string): Script {
  return { text, sha: createHash('sha1').update(text).digest('hex') };
}

/**
 * KEYS: session hash, event list. ARGV: expected version ('' when creating), session JSON, TTL in
 * ms, event id ('' for no event), event JSON, events kept, channel, publish command, replicas
 * required. Answers 1 (written), 0 (the version moved on) or -1 (too few replicas connected to
 * acknowledge it: nothing written, so a refusal means nothing changed).
 */
export const COMMIT = script(`
local required = tonumber(ARGV[9])
if required > 0 then
  local connected = tonumber(string.match(redis.call('INFO', 'replication'), 'connected_slaves:(%d+)') or '0')
  if connected < required then return -1 end
end
local current = redis.call('HGET', KEYS[1], 'r')
local expected = ARGV[1]
if (current == false and expected ~= '') or (current ~= false and current ~= expected) then return 0 end
local ttl = tonumber(ARGV[3])
if ttl <= 0 then
  redis.call('DEL', KEYS[1], KEYS[2])
  return 1
end
local version = 0
if current ~= false then version = tonumber(current) + 1 end
redis.call('HSET', KEYS[1], 'r', version, 'd', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ttl)
if ARGV[4] ~= '' then
  redis.call('RPUSH', KEYS[2], ARGV[4] .. ' ' .. ARGV[5])
  redis.call('LTRIM', KEYS[2], -tonumber(ARGV[6]), -1)
  redis.call(ARGV[8], ARGV[7], ARGV[4] .. ' ' .. ARGV[5])
end
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ttl) end
return 1
`);

/** KEYS: counters of one group. ARGV: limit and window in ms for each. Counts nothing when one is used up: `{index, ms left}`, else `{0, 0}`. */
export const TAKE_QUOTA = script(`
for i = 1, #KEYS do
  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
  if count >= tonumber(ARGV[2 * i - 1]) then return {i, redis.call('PTTL', KEYS[i])} end
end
for i = 1, #KEYS do
  if redis.call('INCR', KEYS[i]) == 1 or redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ARGV[2 * i]) end
end
return {0, 0}
`);

/** KEYS: counters of one group to give one back to, never below zero. */
export const RETURN_QUOTA = script(`
for i = 1, #KEYS do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
return 0
`);

/**
 * KEYS: one set of stream leases, a hash of lease id -> `<opened> <expires>` (microseconds on
 * Redis's own clock, so instances' clocks do not matter). ARGV: change (`open`, `renew` or
 * `release`), TTL in ms, the set's limit, how many ids follow that an opening took out of an
 * earlier set (dropped here too), those ids, then the leases. Answers the ids whose streams must
 * end: the oldest an opening took out, or the leases a renewal did not find.
 */
export const LEASE_STREAMS = script(`
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local change, limit, dropped = ARGV[1], tonumber(ARGV[3]), tonumber(ARGV[4])
local expires = string.format('%.0f', now + tonumber(ARGV[2]) * 1000)
local first = 5 + dropped
local held, newest = {}, 0
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  local opened, deadline = string.match(fields[i + 1], '^(%d+) (%d+)$')
  if deadline == nil or tonumber(deadline) <= now then
    redis.call('HDEL', KEYS[1], fields[i])
  else
    held[fields[i]] = opened
    newest = math.max(newest, tonumber(opened))
  end
end
for i = 5, first - 1 do
  if held[ARGV[i]] then
    redis.call('HDEL', KEYS[1], ARGV[i])
    held[ARGV[i]] = nil
  end
end
local ended = {}
for i = first, #ARGV do
  local id = ARGV[i]
  if change == 'release' then
    if held[id] then
      redis.call('HDEL', KEYS[1], id)
      held[id] = nil
    end
  elseif held[id] then
    redis.call('HSET', KEYS[1], id, held[id] .. ' ' .. expires)
  elseif change == 'renew' then
    table.insert(ended, id)
  else
    -- After every lease held, even when this node's clock is behind the one that wrote them (a failover).
    newest = math.max(now, newest + 1)
    held[id] = string.format('%.0f', newest)
    redis.call('HSET', KEYS[1], id, held[id] .. ' ' .. expires)
  end
end
if change == 'open' then
  local order = {}
  for id, opened in pairs(held) do table.insert(order, { id, tonumber(opened) }) end
  if #order > limit then
    table.sort(order, function(a, b) return a[2] < b[2] end)
    for i = 1, #order - limit do
      redis.call('HDEL', KEYS[1], order[i][1])
      table.insert(ended, order[i][1])
    end
  end
end
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return ended
`);

/** EVALSHA, and EVAL when this node does not have the script (which caches it there). */
export async function runScript(send: (args: readonly string[]) => Promise<unknown>, { text, sha }: Script, keys: readonly string[], args: readonly string[]): Promise<unknown> {
  try {
    return await send(['EVALSHA', sha, String(keys.length), ...keys, ...args]);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
  }
  return send(['EVAL', text, String(keys.length), ...keys, ...args]);
}
