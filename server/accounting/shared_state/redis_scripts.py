"""The Lua scripts of the Redis backend (redis_state.py). Redis runs each script alone, start to end, so each
check-and-update is one atomic step for every gateway at once.

Every script reads the time from Redis itself (`TIME`), never from the calling gateway: the gateways' clocks
differ (by milliseconds on NTP, by seconds without it), and a window or a refill judged by each caller's clock
would let the fastest clock see headroom the others do not. Since Redis 7 scripts replicate their effects, so
`TIME` before a write is allowed. Numbers go back to Python as strings (Lua numbers become integers on return).
"""

from __future__ import annotations

# Redis's clock, in seconds with microseconds.
_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
"""

# KEYS[1] the key's window (ZSET member -> admitted at); ARGV: limit, window seconds, a unique member.
# A sliding log: exactly `limit` requests in any `window` seconds, whatever the gateways.
ADMIT_RATE = (
    _NOW
    + """
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if n >= limit then
  -- the oldest of the last `limit` admissions leaves the window first (more are kept when the limit was lowered)
  local oldest = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
  local wait = window - (now - tonumber(oldest[2]))
  if wait < 0 then wait = 0 end
  return tostring(wait)
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000) + 1000)
return false
"""
)

# KEYS[1] the key's leases (ZSET lease -> expires at); ARGV: limit, lease, ttl seconds.
ACQUIRE = (
    _NOW
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local limit = tonumber(ARGV[1])
local ttl = tonumber(ARGV[3])
if redis.call('ZSCORE', KEYS[1], ARGV[2]) == false and redis.call('ZCARD', KEYS[1]) >= limit then
  return 0
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[2])
local keep = math.ceil(ttl * 1000) + 1000
if redis.call('PTTL', KEYS[1]) < keep then  -- never shorten the life of a longer lease
  redis.call('PEXPIRE', KEYS[1], keep)
end
return 1
"""
)

# Budget counters. Each counter C has four keys: spent:C (settled dollars), held:C (the sum of live holds),
# holds:C (ZSET lease -> expires at) and amounts:C (HASH lease -> dollars). A lease's own key lists the counters
# it holds on (it expires with the hold). Holds whose time has passed are dropped by whichever script touches
# the counter next: a gateway that died mid-request leaves nothing held for longer than the TTL.
_HOLDS = """
local function release(prefix, counter, lease)
  local amount = redis.call('HGET', prefix .. 'amounts:' .. counter, lease)
  if amount then
    local held = tonumber(redis.call('INCRBYFLOAT', prefix .. 'held:' .. counter, -tonumber(amount)))
    redis.call('HDEL', prefix .. 'amounts:' .. counter, lease)
    redis.call('ZREM', prefix .. 'holds:' .. counter, lease)
    if held < 1e-9 or redis.call('ZCARD', prefix .. 'holds:' .. counter) == 0 then
      redis.call('DEL', prefix .. 'held:' .. counter)  -- no float dust left behind
    end
  end
end

local function expire(prefix, counter, now)
  local stale = redis.call('ZRANGEBYSCORE', prefix .. 'holds:' .. counter, '-inf', now)
  for _, lease in ipairs(stale) do
    release(prefix, counter, lease)
  end
end

local function drop_lease(prefix, lease)
  local counters = redis.call('GET', prefix .. 'lease:' .. lease)
  if counters then
    for counter in string.gmatch(counters, '[^\\n]+') do
      release(prefix, counter, lease)
    end
    redis.call('DEL', prefix .. 'lease:' .. lease)
  end
end

local function total(prefix, counter)
  local spent = tonumber(redis.call('GET', prefix .. 'spent:' .. counter) or '0')
  local held = tonumber(redis.call('GET', prefix .. 'held:' .. counter) or '0')
  return spent, held
end
"""

# ARGV: prefix, lease, amount, ttl seconds, then (counter, limit or '', counter ttl seconds) per hold.
RESERVE = (
    _NOW
    + _HOLDS
    + """
local prefix, lease, ttl = ARGV[1], ARGV[2], tonumber(ARGV[4])
local counters = {}
for i = 5, #ARGV, 3 do
  local counter, limit = ARGV[i], ARGV[i + 1]
  expire(prefix, counter, now)
  if limit ~= '' then
    local spent, held = total(prefix, counter)
    if spent + held >= tonumber(limit) then
      return counter
    end
  end
  table.insert(counters, counter)
end
drop_lease(prefix, lease)  -- a lease holds once
local ms = math.ceil(ttl * 1000)
for i = 5, #ARGV, 3 do
  local counter, keep = ARGV[i], math.ceil(tonumber(ARGV[i + 2]) * 1000)
  redis.call('INCRBYFLOAT', prefix .. 'held:' .. counter, ARGV[3])  -- the caller's exact decimal text
  redis.call('HSET', prefix .. 'amounts:' .. counter, lease, ARGV[3])
  redis.call('ZADD', prefix .. 'holds:' .. counter, now + ttl, lease)
  for _, suffix in ipairs({'held:', 'amounts:', 'holds:'}) do
    redis.call('PEXPIRE', prefix .. suffix .. counter, keep)
  end
end
if #counters > 0 then
  redis.call('SET', prefix .. 'lease:' .. lease, table.concat(counters, '\\n'), 'PX', ms)
end
return false
"""
)

# ARGV: prefix, lease, cost, then (counter, counter ttl seconds) per counter.
SETTLE = (
    _HOLDS
    + """
local prefix, lease, cost = ARGV[1], ARGV[2], tonumber(ARGV[3])
drop_lease(prefix, lease)
for i = 4, #ARGV, 2 do
  local key = prefix .. 'spent:' .. ARGV[i]
  if cost > 0 then
    redis.call('INCRBYFLOAT', key, ARGV[3])
  end
  redis.call('PEXPIRE', key, math.ceil(tonumber(ARGV[i + 1]) * 1000))
end
return false
"""
)

# ARGV: prefix, counter. Returns {spent, held} as strings.
SPENT = (
    _NOW
    + _HOLDS
    + """
local prefix, counter = ARGV[1], ARGV[2]
expire(prefix, counter, now)
local spent, held = total(prefix, counter)
return {tostring(spent), tostring(held)}
"""
)

# ARGV: prefix, ttl seconds, then (counter, dollars) pairs. Set-if-absent, so N gateways starting at once (or one
# restarting) never add the ledger's spend twice; a counter *below* the ledger's figure is raised to it (Redis
# lost its data while gateways kept settling into fresh counters). It never lowers a counter: in-flight
# settlements are in Redis before their ledger rows are written.
SEED = """
local prefix, ttl = ARGV[1], math.ceil(tonumber(ARGV[2]) * 1000)
for i = 3, #ARGV, 2 do
  local key = prefix .. 'spent:' .. ARGV[i]
  local ledger = tonumber(ARGV[i + 1])
  local current = redis.call('GET', key)
  if current == false or tonumber(current) < ledger then
    redis.call('SET', key, ARGV[i + 1], 'PX', ttl)
  end
end
return false
"""

# The escalation bucket, one HASH (KEYS[1]): share (tokens), usd (dollars), usd_at (when usd was refilled).
# ARGV: op ('earn', 'take' or 'charge'), max_share or '', burst, max_usd_per_minute or '', charged dollars.
BUCKET = (
    _NOW
    + """
local op, burst = ARGV[1], tonumber(ARGV[3])
local max_share = tonumber(ARGV[2])
local max_usd = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'share', 'usd', 'usd_at')
local share = tonumber(state[1]) or burst
local usd, usd_at = tonumber(state[2]), tonumber(state[3])
if max_usd then
  if usd == nil then usd, usd_at = max_usd, now end
  usd = math.min(max_usd, usd + math.max(0, now - usd_at) * max_usd / 60)
  usd_at = now
end
local granted = 1
if op == 'earn' then
  if max_share then share = math.min(burst, share + max_share) end
elseif op == 'take' then
  local share_ok = (max_share == nil) or share >= 1
  local usd_ok = (max_usd == nil) or usd > 0
  if share_ok and usd_ok then
    if max_share then share = share - 1 end
  else
    granted = 0
  end
else
  if max_usd then usd = usd - tonumber(ARGV[5]) end
end
redis.call('HSET', KEYS[1], 'share', tostring(share))
if max_usd then
  redis.call('HSET', KEYS[1], 'usd', tostring(usd), 'usd_at', tostring(usd_at))
end
return granted
"""
)

# KEYS[1] the revocation list; ARGV[1] the caller's cursor (how many it has read). A cursor past the end means
# the list was lost (Redis restarted without data): read it all again (dropping a key twice is harmless).
REVOKED_SINCE = """
local n = redis.call('LLEN', KEYS[1])
local cursor = tonumber(ARGV[1])
if cursor > n then cursor = 0 end
if cursor == n then return {n} end
local ids = redis.call('LRANGE', KEYS[1], cursor, -1)
table.insert(ids, 1, n)
return ids
"""
