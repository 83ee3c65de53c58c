-- Admission: checks every limit of one request and, only if all pass, counts the request against all
-- of them. Atomic (a script runs alone), so N gateway instances share exact counters.
--
-- ARGV[1] now (ms, the gateway's clock)      ARGV[2] admission id (unique)
-- ARGV[3] hold deadline (ms): reservations and parallel slots not settled by then are dropped
-- ARGV[4] safety TTL (ms) for reservation and in-flight sets
-- ARGV[5..8] the request's worst case: fixed cost (nano-USD), cost per token of output limit (pico-USD),
--            smallest and largest output limit it accepts (cost(t) = fixed + ceil(perToken * t / 1000))
-- ARGV[9] TTL (ms) of minute counters
-- then 4 per check: kind, limit, seed, ttl
--   B budget   KEYS: committed (per window), reservations (zset "id|amount" scored by deadline)
--              seed: committed to start the window from (SET NX), ttl: of the committed counter
--   P parallel KEYS: in-flight set (zset of admission ids scored by deadline)
--   R rpm      KEYS: this minute's request count
--   T tpm      KEYS: this minute's token count
--
-- The budget rule is LimitPlan.grant's: a budget admits when it is not spent (committed + reserved < limit) and
-- cost(t) <= limit - committed - reserved for an output limit t between the smallest and largest accepted; the
-- largest such t over all budgets is granted and cost(t) reserved.
--
-- Returns {0, value per check..., granted output limit, reserved nano-USD} when admitted (rpm: count including
-- this one, tpm: tokens used, parallel: in flight including this one, budget: committed), else
-- {index of the failed check, current, reserved, fit} where fit is the largest output limit that would fit when a
-- budget refused the request's worst case (-1: not even the fixed part), else -2 (a spent budget, a rate limit).
local now = tonumber(ARGV[1])
local member = ARGV[2]
local deadline = ARGV[3]
local safety = ARGV[4]
local fixed = tonumber(ARGV[5])
local perToken = tonumber(ARGV[6])
local minTokens = tonumber(ARGV[7])
local maxTokens = tonumber(ARGV[8])
local minuteTtl = ARGV[9]
local HEAD = 9
local n = (#ARGV - HEAD) / 4

local function cost(t)
  if perToken == 0 or t == 0 then return fixed end
  return fixed + math.ceil(perToken * t / 1000)
end

-- The largest output limit from 0 to maxTokens whose cost fits in room, or -1.
local function largestFitting(room)
  if fixed > room then return -1 end
  if perToken == 0 then return maxTokens end
  local t = math.floor((room - fixed) * 1000 / perToken)
  if t > maxTokens then t = maxTokens end
  -- doubles: step to the exact answer should rounding have moved it
  while t > 0 and cost(t) > room do t = t - 1 end
  while t < maxTokens and cost(t + 1) <= room do t = t + 1 end
  return t
end

local out = {0}
local firstKey = {}
local granted = maxTokens
local k = 1
for i = 1, n do
  local base = HEAD + (i - 1) * 4
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
    if limit >= 0 then
      if committed + reserved >= limit then return {i, committed, reserved, -2} end
      local fit = largestFitting(limit - committed - reserved)
      if fit < minTokens then return {i, committed, reserved, fit} end
      if fit < granted then granted = fit end
    end
    out[i + 1] = committed
  elseif kind == 'P' then
    local inFlight = KEYS[k]
    k = k + 1
    redis.call('ZREMRANGEBYSCORE', inFlight, '-inf', now)
    local count = redis.call('ZCARD', inFlight)
    if count >= limit then return {i, count, 0, -2} end
    out[i + 1] = count + 1
  else
    local counter = KEYS[k]
    k = k + 1
    local used = tonumber(redis.call('GET', counter) or '0')
    if used >= limit then return {i, used, 0, -2} end
    if kind == 'R' then out[i + 1] = used + 1 else out[i + 1] = used end
  end
end
local reserve = cost(granted)
local amount = string.format('%d', reserve)
for i = 1, n do
  local kind = ARGV[HEAD + (i - 1) * 4 + 1]
  local key = KEYS[firstKey[i]]
  if kind == 'B' then
    if reserve > 0 then
      local reservations = KEYS[firstKey[i] + 1]
      redis.call('ZADD', reservations, deadline, member .. '|' .. amount)
      redis.call('PEXPIRE', reservations, safety)
    end
  elseif kind == 'P' then
    redis.call('ZADD', key, deadline, member)
    redis.call('PEXPIRE', key, safety)
  elseif kind == 'R' then
    if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, minuteTtl) end
  end
end
out[n + 2] = granted
out[n + 3] = amount
return out
