import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../lib/clock.js';
import { createLogger } from '../lib/logger.js';
import { createTestDatabase, createTestRedis, env, type TestDatabase } from '../test/harness.js';
import { startBullmqTrigger } from './bullmq-trigger.js';
import { createScheduler, type PeriodicJob, type Scheduler } from './scheduler.js';

// Needs Redis: run by the PostgreSQL + Redis pass of npm test.
let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.drop();
});

describe.skipIf(!env.redisUrl && !env.requireServices)('periodic jobs on BullMQ', () => {
  it('two workers upsert the same schedule; each repetition is delivered to one of them', async () => {
    const redis = await createTestRedis();
    if (!redis) throw new Error('TEST_REDIS_URL is required for this test');
    const logger = createLogger({ level: 'silent' });
    let runs = 0;
    const job: PeriodicJob = { name: 'tick', intervalSeconds: 1, run: async () => void runs++ };
    let deliveries = 0;
    const counted = (s: Scheduler): Scheduler => ({
      ...s,
      runOnce: (j) => {
        deliveries++;
        return s.runOnce(j);
      },
    });
    const workers = await Promise.all(
      [1, 2].map(() => {
        const scheduler = createScheduler({ db: tdb.database.db, clock: systemClock, logger });
        scheduler.add(job);
        return startBullmqTrigger({
          redisUrl: env.redisUrl!,
          prefix: redis.prefix,
          jobs: [job],
          scheduler: counted(scheduler),
          logger,
        });
      }),
    );
    try {
      await sleep(3_500);
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      const keys = await redis.redis.keys(`${redis.prefix}*`);
      if (keys.length) await redis.redis.del(...keys);
      redis.redis.disconnect();
    }
    // About one run a second, never one per worker: no repetition went to both.
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(runs).toBeLessThanOrEqual(5);
    expect(deliveries).toBe(runs);
  });
});
