import type { Db } from '../../db/client.js';
import type { Logger } from '../../lib/logger.js';
import { hasUnsealed, sealAuditBatch } from './audit.repo.js';

export interface AuditSealerDeps {
  db: Db;
  logger: Logger;
  /** Pause between passes when nothing is pending; the unsealed window is about this long when idle. */
  intervalMs: number;
  batchSize?: number;
}

/**
 * Runs in every API and worker process. Passes that find another instance
 * sealing give way at once, so exactly one seals at a time and any survivor
 * carries on when that one dies. A full batch is followed by the next one
 * straight away, so the backlog drains as fast as one sealer can hash.
 */
export function createAuditSealer(deps: AuditSealerDeps) {
  const batch = deps.batchSize ?? 2_000;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = true;
  let failures = 0;

  /** Seals until nothing committed is left, or another instance holds the lock. */
  async function drain(): Promise<{ sealed: number; busy: boolean }> {
    let sealed = 0;
    for (;;) {
      const r = await sealAuditBatch(deps.db, batch);
      sealed += r.sealed;
      if (r.busy || r.sealed < batch) return { sealed, busy: r.busy };
    }
  }

  async function pass(): Promise<void> {
    try {
      if (await hasUnsealed(deps.db)) await drain();
      if (failures > 0) deps.logger.info({ failures }, 'audit sealer recovered');
      failures = 0;
    } catch (err) {
      failures++;
      // Nothing is lost: rows stay unsealed until a pass succeeds. Say so once, then every 20th time.
      if (failures === 1 || failures % 20 === 0)
        deps.logger.warn({ err, failures }, 'audit sealing failed; will retry');
    }
  }

  function schedule() {
    if (stopped) return;
    // Back off while the database is failing, up to 10 s, rather than hammer it.
    const delay = failures ? Math.min(10_000, deps.intervalMs * 2 ** Math.min(failures, 6)) : deps.intervalMs;
    timer = setTimeout(() => {
      running = pass().finally(() => {
        running = null;
        schedule();
      });
    }, delay);
    timer.unref();
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
    /** Seal everything committed now (CLI, tests); waits for another instance's pass rather than skipping. */
    async sealNow(): Promise<number> {
      let total = 0;
      for (let i = 0; ; i++) {
        const r = await drain();
        total += r.sealed;
        if (!r.busy) return total;
        await new Promise((res) => setTimeout(res, Math.min(200, 10 * (i + 1))));
      }
    },
  };
}
export type AuditSealer = ReturnType<typeof createAuditSealer>;
