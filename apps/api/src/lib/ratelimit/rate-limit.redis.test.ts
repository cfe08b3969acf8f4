import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  createTestDatabase,
  createTestRedis,
  env,
  nextIp,
  type TestDatabase,
} from '../../test/harness.js';

// Needs Redis: run by the PostgreSQL + Redis pass of npm test (TEST_REDIS_URL), left out of the embedded one.
let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.drop();
});

const attempt = (app: Awaited<ReturnType<typeof buildTestApp>>, ip: string, email: string) =>
  app.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'x-forwarded-for': ip },
    payload: { email, password: 'wrong-password-x' },
  });

describe.skipIf(!env.redisUrl && !env.requireServices)('login limits shared through Redis', () => {
  it('holds across two API instances', async () => {
    const r1 = await createTestRedis();
    if (!r1) throw new Error('TEST_REDIS_URL is required for this test');
    const r2 = await createTestRedis();
    const shared = { redis: r2!.redis, prefix: r1.prefix };
    const a = await buildTestApp({ database: tdb.database, redis: r1 });
    const b = await buildTestApp({ database: tdb.database, redis: shared });
    try {
      const ip = nextIp();
      for (let i = 0; i < 5; i++) expect((await attempt(i % 2 ? a : b, ip, 'shared@example.org')).statusCode).toBe(401);
      expect((await attempt(a, ip, 'shared@example.org')).statusCode).toBe(429);
      expect((await attempt(b, ip, 'shared@example.org')).statusCode).toBe(429);
      // And readiness reports Redis as up on both.
      expect((await a.app.inject({ url: '/api/v1/health/ready' })).json().checks.redis.status).toBe('up');
    } finally {
      await a.close();
      await b.close();
      const keys = await r1.redis.keys(`${r1.prefix}*`);
      if (keys.length) await r1.redis.del(...keys);
      r1.redis.disconnect();
      r2!.redis.disconnect();
    }
  });
});
