import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, nextIp, register, type TestDatabase } from '../../test/harness.js';
import { createMemoryRateLimitStore } from './memory-store.js';
import { createRateLimiter } from './rate-limiter.js';

describe('fixed-window limiter', () => {
  it('allows max hits per window, then refuses with the time left, then resets', async () => {
    let now = 1_000_000;
    const limiter = createRateLimiter(
      createMemoryRateLimitStore(() => now),
      { enabled: true },
    );
    const rule = { name: 't', max: 3, windowSeconds: 60 };
    for (let i = 0; i < 3; i++) expect((await limiter.consume(rule, 'k')).allowed).toBe(true);
    now += 20_000;
    const refused = await limiter.consume(rule, 'k');
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 40 });
    expect((await limiter.consume(rule, 'other')).allowed).toBe(true);
    now += 40_001;
    expect((await limiter.consume(rule, 'k')).allowed).toBe(true);
  });

  it('fails closed with a clear 503 when its store is unreachable', async () => {
    const broken = {
      hit: async () => {
        throw new Error('ECONNREFUSED');
      },
      reset: async () => {},
      close: async () => {},
    };
    const limiter = createRateLimiter(broken, { enabled: true });
    await expect(limiter.consume({ name: 'x', max: 1, windowSeconds: 1 }, 'k')).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    });
  });
});

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.drop();
});

const attempt = (
  app: Awaited<ReturnType<typeof buildTestApp>>,
  ip: string,
  email: string,
  password = 'wrong-password-x',
) =>
  app.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'x-forwarded-for': ip },
    payload: { email, password },
  });

describe('login limits (in memory)', () => {
  it('allows 5 attempts per (IP, email) in 5 minutes, then 429 with Retry-After; other emails still pass', async () => {
    const t = await buildTestApp({ database: tdb.database });
    try {
      const ip = nextIp();
      for (let i = 0; i < 5; i++) expect((await attempt(t, ip, 'victim@example.org')).statusCode).toBe(401);
      const limited = await attempt(t, ip, 'victim@example.org');
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('RATE_LIMITED');
      const retry = Number(limited.headers['retry-after']);
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(300);
      expect(limited.json().error.details.retryAfterSeconds).toBe(retry);
      expect((await attempt(t, ip, 'someone-else@example.org')).statusCode).toBe(401);
      expect((await attempt(t, nextIp(), 'victim@example.org')).statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });

  it('caps a single IP across many emails', async () => {
    const t = await buildTestApp({ database: tdb.database, env: { RATE_LIMIT_LOGIN_IP_MAX: '8' } });
    try {
      const ip = nextIp();
      for (let i = 0; i < 8; i++) expect((await attempt(t, ip, `spray${i}@example.org`)).statusCode).toBe(401);
      expect((await attempt(t, ip, 'spray-last@example.org')).statusCode).toBe(429);
    } finally {
      await t.close();
    }
  });

  it('limits registrations per IP', async () => {
    const t = await buildTestApp({ database: tdb.database, env: { RATE_LIMIT_REGISTER_MAX: '2' } });
    try {
      const ip = nextIp();
      const reg = (i: number) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/register',
          headers: { 'x-forwarded-for': ip },
          payload: { email: `r${i}-${ip}@example.org`, displayName: 'R', password: 'violet-Harbour-73-lantern' },
        });
      expect((await reg(1)).statusCode).toBe(201);
      expect((await reg(2)).statusCode).toBe(201);
      expect((await reg(3)).statusCode).toBe(429);
    } finally {
      await t.close();
    }
  });

  it('forgets failures after a successful login', async () => {
    const t = await buildTestApp({ database: tdb.database });
    try {
      const u = await register(t.app);
      const ip = nextIp();
      for (let i = 0; i < 4; i++) await attempt(t, ip, u.email);
      expect((await attempt(t, ip, u.email, 'violet-Harbour-73-lantern')).statusCode).toBe(200);
      for (let i = 0; i < 5; i++) expect((await attempt(t, ip, u.email)).statusCode).toBe(401);
    } finally {
      await t.close();
    }
  });
});
