import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../lib/logger.js';
import type { PeriodicJob, Scheduler } from './scheduler.js';

const QUEUE = 'uni-manager-periodic';

/**
 * In production (REDIS_URL set), periodic jobs are triggered by BullMQ job
 * schedulers: every worker upserts the same schedulers (idempotent by id), and
 * BullMQ hands each repetition to exactly one of them. The handler still goes
 * through the scheduler's database claim, so a repetition BullMQ re-delivers
 * after a stalled worker cannot run twice either.
 */
export async function startBullmqTrigger(opts: {
  redisUrl: string;
  prefix: string;
  jobs: PeriodicJob[];
  scheduler: Scheduler;
  logger: Logger;
  concurrency?: number;
}): Promise<{ close(): Promise<void> }> {
  // BullMQ workers block on Redis: their connection must not give up on a command.
  const connection: ConnectionOptions = { url: opts.redisUrl, maxRetriesPerRequest: null } as ConnectionOptions;
  const prefix = `${opts.prefix}bull`;
  const queue = new Queue(QUEUE, { connection, prefix });
  const byName = new Map(opts.jobs.map((j) => [j.name, j]));
  for (const job of opts.jobs) {
    await queue.upsertJobScheduler(
      job.name,
      { every: job.intervalSeconds * 1000 },
      { name: job.name, opts: { removeOnComplete: 100, removeOnFail: 500 } },
    );
  }
  const worker = new Worker(
    QUEUE,
    async (bullJob) => {
      const job = byName.get(bullJob.name);
      if (!job) return 'unknown job';
      return opts.scheduler.runOnce(job);
    },
    { connection, prefix, concurrency: opts.concurrency ?? 4 },
  );
  worker.on('failed', (job, err) => opts.logger.error({ err, job: job?.name }, 'periodic job failed'));
  worker.on('error', (err) => opts.logger.error({ err }, 'periodic job worker error'));
  opts.logger.info({ jobs: opts.jobs.map((j) => j.name) }, 'periodic jobs scheduled in BullMQ');
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
