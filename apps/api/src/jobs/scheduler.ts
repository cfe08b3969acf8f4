import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { scheduledRuns } from '../db/schema/index.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';

export interface PeriodicJob {
  name: string;
  intervalSeconds: number;
  run(): Promise<Record<string, unknown> | void>;
}

/** Start of the period `now` falls in: the deterministic id of this run. */
export function periodOf(now: Date, intervalSeconds: number): Date {
  const ms = intervalSeconds * 1000;
  return new Date(Math.floor(now.getTime() / ms) * ms);
}

/**
 * Runs periodic jobs on every instance that starts it, deduplicated through
 * the database: the first instance to claim (job, period) runs it.
 */
export function createScheduler(deps: { db: Db; clock: Clock; logger: Logger; tickMs?: number }) {
  const { db, clock } = deps;
  const jobs: PeriodicJob[] = [];
  const running = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  async function claim(job: PeriodicJob, period: Date): Promise<boolean> {
    const rows = await db
      .insert(scheduledRuns)
      .values({ job: job.name, period, startedAt: clock.now(), status: 'running' })
      .onConflictDoNothing()
      .returning({ job: scheduledRuns.job });
    return rows.length === 1;
  }

  async function runOnce(job: PeriodicJob): Promise<'ran' | 'skipped'> {
    const period = periodOf(clock.now(), job.intervalSeconds);
    if (running.has(job.name) || !(await claim(job, period))) return 'skipped';
    running.add(job.name);
    const log = deps.logger.child({ job: job.name, period: period.toISOString() });
    const started = performance.now();
    try {
      const result = await job.run();
      await db
        .update(scheduledRuns)
        .set({ status: 'succeeded', finishedAt: clock.now() })
        .where(and(eq(scheduledRuns.job, job.name), eq(scheduledRuns.period, period)));
      log.debug({ ms: Math.round(performance.now() - started), ...result }, 'job succeeded');
    } catch (e) {
      log.error({ err: e }, 'job failed');
      await db
        .update(scheduledRuns)
        .set({ status: 'failed', finishedAt: clock.now(), error: String((e as Error).message).slice(0, 2000) })
        .where(and(eq(scheduledRuns.job, job.name), eq(scheduledRuns.period, period)))
        .catch(() => {});
    } finally {
      running.delete(job.name);
    }
    return 'ran';
  }

  async function tick() {
    await Promise.all(
      jobs.map((j) => runOnce(j).catch((e) => deps.logger.error({ err: e, job: j.name }, 'scheduler tick failed'))),
    );
  }

  return {
    add(job: PeriodicJob) {
      jobs.push(job);
    },
    runOnce,
    start() {
      if (timer) return;
      void tick();
      timer = setInterval(() => void tick(), deps.tickMs ?? 15_000);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      // Let a job in flight finish its transaction before the database closes.
      for (let i = 0; i < 100 && running.size; i++) await new Promise((r) => setTimeout(r, 100));
    },
    /** Old bookkeeping rows are of no use after a week. */
    async pruneHistory() {
      await db.delete(scheduledRuns).where(lt(scheduledRuns.period, sql`now() - interval '7 days'`));
    },
  };
}
export type Scheduler = ReturnType<typeof createScheduler>;
