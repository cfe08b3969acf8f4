import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../lib/logger.js';

/**
 * Delivers operation ids to workers. It only carries ids: the operation row
 * in the database is the intent, so a lost delivery costs latency, never
 * work (the sweeper re-delivers whatever is due).
 */
export interface OperationQueue {
  /** `key` deduplicates deliveries of the same attempt; `delayMs` postpones a retry. */
  enqueue(id: string, opts?: { key?: string; delayMs?: number }): Promise<void>;
  consume(handler: (id: string) => Promise<void>, concurrency: number): void;
  close(): Promise<void>;
}

/** In-process delivery for the embedded mode: one process runs API and worker. */
export function createMemoryOperationQueue(logger: Logger): OperationQueue {
  const waiting: string[] = [];
  const known = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let handler: ((id: string) => Promise<void>) | undefined;
  let limit = 1;
  let active = 0;
  let closed = false;

  function pump() {
    while (handler && !closed && active < limit && waiting.length) {
      const id = waiting.shift()!;
      known.delete(id);
      active++;
      handler(id)
        .catch((e) => logger.error({ err: e, operationId: id }, 'operation handler failed'))
        .finally(() => {
          active--;
          pump();
        });
    }
  }

  function push(id: string) {
    if (closed || known.has(id)) return;
    known.add(id);
    waiting.push(id);
    pump();
  }

  return {
    async enqueue(id, opts = {}) {
      if (!opts.delayMs) return push(id);
      const t = setTimeout(() => {
        timers.delete(t);
        push(id);
      }, opts.delayMs);
      t.unref();
      timers.add(t);
    },
    consume(h, concurrency) {
      handler = h;
      limit = concurrency;
      pump();
    },
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      waiting.length = 0;
      known.clear();
    },
  };
}

const QUEUE = 'uni-manager-vm-operations';

/**
 * BullMQ delivery when REDIS_URL is set: API instances only produce, worker
 * instances consume. The job id is the operation id plus its attempt, so a
 * sweeper re-delivering an attempt that is already queued adds nothing.
 */
export function createBullmqOperationQueue(opts: { redisUrl: string; prefix: string; logger: Logger }): OperationQueue {
  const connection = { url: opts.redisUrl, maxRetriesPerRequest: null } as ConnectionOptions;
  const prefix = `${opts.prefix}bull`;
  const queue = new Queue(QUEUE, { connection, prefix });
  queue.on('error', (err) => opts.logger.error({ err }, 'operation queue error'));
  let worker: Worker | undefined;
  return {
    async enqueue(id, o = {}) {
      await queue.add(
        'operation',
        { id },
        {
          jobId: `${id}.${o.key ?? 'new'}`,
          delay: o.delayMs ?? 0,
          removeOnComplete: true,
          removeOnFail: 1000,
          attempts: 1,
        },
      );
    },
    consume(handler, concurrency) {
      worker = new Worker(QUEUE, async (job) => handler((job.data as { id: string }).id), {
        connection,
        prefix,
        concurrency,
        // Operations renew their own lease in the database; BullMQ's lock only guards the delivery.
        lockDuration: 60_000,
      });
      worker.on('error', (err) => opts.logger.error({ err }, 'operation worker error'));
    },
    async close() {
      await worker?.close();
      await queue.close();
    },
  };
}
