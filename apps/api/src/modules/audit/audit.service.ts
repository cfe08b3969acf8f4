import { securityActions, type AuditPage, type ListAuditQuery } from '@uni-manager/contracts';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { purgeAuditBefore, searchAudit, securityScope, verifyAuditChain } from './audit.repo.js';
import { createAuditSealer } from './audit.sealer.js';

export interface AuditServiceDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  retentionDays: number;
  sealIntervalMs: number;
}

export function createAuditService(deps: AuditServiceDeps) {
  const { db, clock } = deps;
  const sealer = createAuditSealer({
    db,
    logger: deps.logger.child({ module: 'audit-sealer' }),
    intervalMs: deps.sealIntervalMs,
  });
  return {
    /** Started by every serving process (API or worker); stopped before the database closes. */
    sealer,
    /** Links everything committed into the chain now; returns how many rows it sealed. */
    seal: () => sealer.sealNow(),

    async search(q: ListAuditQuery): Promise<AuditPage> {
      const { items, total } = await searchAudit(db, q);
      return { items, total, page: q.page, pageSize: q.pageSize };
    },

    async securityEventsOf(userId: string, q: { page: number; pageSize: number }): Promise<AuditPage> {
      const { items, total } = await searchAudit(db, q, securityScope(userId, securityActions));
      return { items, total, page: q.page, pageSize: q.pageSize };
    },

    verify: () => verifyAuditChain(db),

    /** The retention job: drops what is older than the retention period, and records that it did. */
    async purgeExpired(): Promise<{ deleted: number; cutoff: Date }> {
      const now = clock.now();
      const cutoff = new Date(now.getTime() - deps.retentionDays * 86_400_000);
      const { deleted } = await purgeAuditBefore(db, cutoff, now);
      if (deleted) deps.logger.info({ deleted, cutoff }, 'audit retention purged old entries');
      return { deleted, cutoff };
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
