import type { Redis } from 'ioredis';
import type { RateLimitStore } from './rate-limiter.js';

// INCR and the first PEXPIRE in one script, so a crash between them can never
// leave a counter without expiry that locks a user out for good.
const HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
`;

export function createRedisRateLimitStore(redis: Redis, prefix: string): RateLimitStore {
  return {
    async hit(key, windowMs) {
      const [count, ttlMs] = (await redis.eval(HIT, 1, prefix + key, windowMs)) as [number, number];
      return { count, ttlMs };
    },
    async reset(key) {
      await redis.del(prefix + key);
    },
    async close() {},
  };
}
