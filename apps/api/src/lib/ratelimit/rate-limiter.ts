/**
 * Fixed-window counters. A window is keyed by (key, window start), so every
 * API instance sharing a store counts the same attempts.
 */
export interface RateLimitResult {
  allowed: boolean;
  remaining: number;
  /** Seconds until the window resets; the Retry-After header when refused. */
  retryAfterSeconds: number;
}

export interface RateLimitStore {
  /** Adds one hit and returns the count in the current window and its remaining lifetime in ms. */
  hit(key: string, windowMs: number): Promise<{ count: number; ttlMs: number }>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

export interface RateLimitRule {
  name: string;
  max: number;
  windowSeconds: number;
}

export interface RateLimiter {
  consume(rule: RateLimitRule, subject: string): Promise<RateLimitResult>;
  reset(rule: RateLimitRule, subject: string): Promise<void>;
}

import { AppError } from '../errors.js';

export function createRateLimiter(store: RateLimitStore, opts: { enabled: boolean }): RateLimiter {
  const keyOf = (rule: RateLimitRule, subject: string) => `rl:${rule.name}:${subject}`;
  return {
    async consume(rule, subject) {
      if (!opts.enabled) return { allowed: true, remaining: rule.max, retryAfterSeconds: 0 };
      let hit: { count: number; ttlMs: number };
      try {
        hit = await store.hit(keyOf(rule, subject), rule.windowSeconds * 1000);
      } catch (e) {
        // Fail closed: without its counters a login limit would silently stop limiting.
        throw new AppError('SERVICE_UNAVAILABLE', 'The rate-limit store is unreachable; try again shortly', {
          cause: (e as Error).message,
        });
      }
      const { count, ttlMs } = hit;
      return {
        allowed: count <= rule.max,
        remaining: Math.max(0, rule.max - count),
        retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)),
      };
    },
    reset: (rule, subject) => store.reset(keyOf(rule, subject)),
  };
}
