-- Admission: checks every limit of one request and, only if all pass, counts the request against all
-- of them. Atomic (a script runs alone), so N gateway instances share exact counters.
--
-- ARGV[1] now (ms, the gateway's clock)      ARGV[2] admission id (unique)
-- ARGV[3] hold deadline (ms): reservations and parallel slots not settled by then are dropped
-- ARGV[4] safety TTL (ms) for reservation and in-flight sets
-- ARGV[5] estimated cost (nano-USD) to reserve   ARGV[6] TTL (ms) of minute counters
-- then 4 per check: kind, limit, seed, ttl
--   B budget   KEYS: committed (per window), reservations (zset "id|amount" scored by deadline)
--              seed: committed to start the window from (SET NX), ttl: of the committed counter
--   P parallel KEYS: in-flight set (zset of admission ids scored by deadline)
--   R rpm      KEYS: this minute's request count
--   T tpm      KEYS: this minute's token count
-- Returns {0, value per check} when admitted (rpm: count including this one, tpm: tokens used,
-- parallel: in flight including this one, budget: committed), else {index of the failed check, current, reserved}.
local now = tonumber(ARGV[1])
local member = ARGV[2]
local deadline = ARGV[3]
local safety = ARGV[4]
local estimate = ARGV[5]
local minuteTtl = ARGV[6]
local n = (#ARGV - 6) / 4
local out = {0}
local firstKey = {}
local k = 1
for i = 1, n do
  local base = 6 + (i - 1) * 4
  local kind = ARGV[base + 1]
  local limit = tonumber(ARGV[base + 2])
  firstKey[i] = k
  if kind == 'B' then
    local committedKey, reservations = KEYS[k], KEYS[k + 1]
    k = k + 2
    redis.call('SET', committedKey, ARGV[base + 3], 'NX')
    redis.call('PEXPIRE', committedKey, ARGV[base + 4])
    local committed = tonumber(redis.call('GET', committedKey))
    redis.call('ZREMRANGEBYSCORE', reservations, '-inf', now)
    local reserved = 0
    for _, m in ipairs(redis.call('ZRANGE', reservations, 0, -1)) do
      reserved = reserved + tonumber(string.match(m, '|(%d+)$'))
    end
    if limit >= 0 and committed + reserved >= limit then return {i, committed, reserved} end
    out[i + 1] = committed
  elseif kind == 'P' then
    local inFlight = KEYS[k]
    k = k + 1
    redis.call('ZREMRANGEBYSCORE', inFlight, '-inf', now)
    local count = redis.call('ZCARD', inFlight)
    if count >= limit then return {i, count, 0} end
    out[i + 1] = count + 1
  else
    local counter = KEYS[k]
    k = k + 1
    local used = tonumber(redis.call('GET', counter) or '0')
    if used >= limit then return {i, used, 0} end
    if kind == 'R' then out[i + 1] = used + 1 else out[i + 1] = used end
  end
end
for i = 1, n do
  local kind = ARGV[6 + (i - 1) * 4 + 1]
  local key = KEYS[firstKey[i]]
  if kind == 'B' then
    if tonumber(estimate) > 0 then
      local reservations = KEYS[firstKey[i] + 1]
      redis.call('ZADD', reservations, deadline, member .. '|' .. estimate)
      redis.call('PEXPIRE', reservations, safety)
    end
  elseif kind == 'P' then
    redis.call('ZADD', key, deadline, member)
    redis.call('PEXPIRE', key, safety)
  elseif kind == 'R' then
    if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, minuteTtl) end
  end
end
return out
