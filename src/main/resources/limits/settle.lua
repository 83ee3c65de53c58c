-- Settlement of one admitted request: releases its reservations and parallel slot, books its cost to the
-- committed spend of the window it was admitted in (if that window's counter still exists) and its tokens
-- to the current minute.
--
-- ARGV[1] admission id   ARGV[2] the amount reserved (nano-USD, as admit.lua wrote it)   ARGV[3] real cost (nano-USD)
-- ARGV[4] total tokens   ARGV[5] TTL (ms) of minute counters   then one kind per check:
--   B KEYS: committed, reservations     P KEYS: in-flight set     T KEYS: tpm counter of this minute
--   R nothing (a request counts when admitted)
-- An adjustment (RedisLimiter.adjust) runs the same script with a member nothing holds and the cost difference,
-- which may be negative: it releases nothing and books the difference.
-- Returns, per budget check in order, the committed spend after booking (-1 when the window's counter is gone).
local member = ARGV[1]
local cost = tonumber(ARGV[3])
local tokens = tonumber(ARGV[4])
local out = {}
local k = 1
for i = 6, #ARGV do
  local kind = ARGV[i]
  if kind == 'B' then
    local committedKey, reservations = KEYS[k], KEYS[k + 1]
    k = k + 2
    redis.call('ZREM', reservations, member .. '|' .. ARGV[2])
    local after = -1
    if redis.call('EXISTS', committedKey) == 1 then
      if cost ~= 0 then after = redis.call('INCRBY', committedKey, ARGV[3])
      else after = tonumber(redis.call('GET', committedKey)) end
    end
    out[#out + 1] = after
  elseif kind == 'P' then
    redis.call('ZREM', KEYS[k], member)
    k = k + 1
  elseif kind == 'T' then
    if tokens > 0 then
      redis.call('INCRBY', KEYS[k], ARGV[4])
      redis.call('PEXPIRE', KEYS[k], ARGV[5])
    end
    k = k + 1
  end
end
return out
