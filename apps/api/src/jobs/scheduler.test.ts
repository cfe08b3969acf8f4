import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../lib/logger.js';
import { createTestDatabase, manualClock, type TestDatabase } from '../test/harness.js';
import { createScheduler, periodOf } from './scheduler.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.drop();
});

const logger = createLogger({ level: 'silent' });

describe('periodic jobs', () => {
  it('names a run by the start of its period', () => {
    expect(periodOf(new Date('2026-01-01T10:17:42Z'), 3600).toISOString()).toBe('2026-01-01T10:00:00.000Z');
    expect(periodOf(new Date('2026-01-01T10:17:42Z'), 60).toISOString()).toBe('2026-01-01T10:17:00.000Z');
  });

  it('runs a period once however many workers race for it, and again next period', async () => {
    const clock = manualClock(new Date('2026-01-01T10:00:05Z'));
    let runs = 0;
    const job = { name: 'count', intervalSeconds: 60, run: async () => void runs++ };
    const workers = Array.from({ length: 4 }, () => createScheduler({ db: tdb.database.db, clock, logger }));
    const outcomes = await Promise.all(workers.map((w) => w.runOnce(job)));
    expect(outcomes.filter((o) => o === 'ran')).toHaveLength(1);
    expect(runs).toBe(1);
    expect(await workers[0]!.runOnce(job)).toBe('skipped');
    clock.advance(60_000);
    await Promise.all(workers.map((w) => w.runOnce(job)));
    expect(runs).toBe(2);
  });

  it('records a failure without crashing the worker', async () => {
    const clock = manualClock(new Date('2026-01-01T11:00:00Z'));
    const s = createScheduler({ db: tdb.database.db, clock, logger });
    const job = {
      name: 'boom',
      intervalSeconds: 60,
      run: async () => {
        throw new Error('proxmox unreachable');
      },
    };
    expect(await s.runOnce(job)).toBe('ran');
    const rows = (await tdb.database.db.query.scheduledRuns.findMany()).filter((r) => r.job === 'boom');
    expect(rows).toMatchObject([{ status: 'failed', error: 'proxmox unreachable' }]);
  });
});
