"""The Lua scripts that give a turn its two round trips; each touches one thread's keys only.

Both keys of a thread share a hash tag, so the scripts stay valid on Redis Cluster.
"""

from __future__ import annotations

# KEYS: lock, session.  ARGV: owner token, lease in ms, session TTL in s, "1" to load.
# Returns {1, session-or-nil} when the lock is ours, {0} when another owner holds it.
# Re-entering with our own token succeeds, so a retried call after a lost reply is safe.
ENTER_TURN = """
local owner = redis.call('GET', KEYS[1])
if owner == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
elseif owner ~= ARGV[1] then
  return {0}
else
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if ARGV[4] ~= '1' then
  return {1}
end
local value = redis.call('GET', KEYS[2])
if value and redis.call('TTL', KEYS[2]) < tonumber(ARGV[3]) then
  redis.call('EXPIRE', KEYS[2], ARGV[3])
end
return {1, value}
"""

# KEYS: lock, session.  ARGV: owner token, "set" | "del" | "keep", session JSON, TTL in s.
# Returns 1 when written and released, 0 when the lease had passed to another owner (then
# nothing is written). The write and the release happen together or not at all. A retry
# whose first attempt ran but lost its reply finds its own session in place and reports 1.
EXIT_TURN = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  if ARGV[2] == 'set' and redis.call('GET', KEYS[2]) == ARGV[3] then
    return 1
  end
  return 0
end
if ARGV[2] == 'set' then
  -- Never shorten a TTL that `keep` extended (a follow-up reminder weeks away).
  local ttl = math.max(redis.call('TTL', KEYS[2]), tonumber(ARGV[4]))
  redis.call('SET', KEYS[2], ARGV[3], 'EX', ttl)
elseif ARGV[2] == 'del' then
  redis.call('DEL', KEYS[2])
end
redis.call('DEL', KEYS[1])
return 1
"""

# KEYS: session.  ARGV: seconds.  Keeps the session at least that long (never shortens it).
# Returns 1, or 0 when there is no session.
KEEP_SESSION = """
local ttl = redis.call('TTL', KEYS[1])
if ttl == -2 then
  return 0
end
if ttl >= 0 and ttl < tonumber(ARGV[1]) then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return 1
"""

# KEYS: lock.  ARGV: owner token, lease in ms.  Extends the lease while its owner still holds
# it (1), else does nothing (0): a turn under way keeps its lock with short leases, so a lock
# whose owner died or lost Redis lapses within one short lease.
RENEW_LEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
"""
