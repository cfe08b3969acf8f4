import type { AuditAction, AuditEvent, ListAuditQuery } from '@uni-manager/contracts';
import { and, asc, count, desc, eq, gt, gte, ilike, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { auditLog, type AuditRow } from '../../db/schema/index.js';
import { GENESIS_HASH, chainHash, type ChainedFields } from './audit.chain.js';

/** Serialises appends so each row links to the one before it, across instances. */
const AUDIT_CHAIN_LOCK = 727_002;

export interface AuditEntry {
  action: AuditAction;
  actorId?: string | null;
  actorEmail?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
  details?: Record<string, unknown>;
}

export async function appendAudit(tx: Executor, entry: AuditEntry, now: Date): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  const fields: ChainedFields = {
    // Millisecond precision: what JavaScript can represent is what gets hashed.
    occurredAt: new Date(Math.floor(now.getTime())),
    actorId: entry.actorId ?? null,
    actorEmail: entry.actorEmail ?? null,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    ip: entry.ip ?? null,
    userAgent: entry.userAgent?.slice(0, 512) ?? null,
    requestId: entry.requestId ?? null,
    details: entry.details ?? {},
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  await tx.insert(auditLog).values({ ...fields, prevHash, hash: chainHash(prevHash, fields) });
}

export function toAuditEvent(r: AuditRow): AuditEvent {
  return {
    id: r.id.toString(),
    occurredAt: r.occurredAt.toISOString(),
    actorId: r.actorId,
    actorEmail: r.actorEmail,
    action: r.action as AuditAction,
    targetType: r.targetType,
    targetId: r.targetId,
    ip: r.ip,
    userAgent: r.userAgent,
    requestId: r.requestId,
    details: r.details,
  };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function searchAudit(
  db: Executor,
  q: Partial<ListAuditQuery> & Pick<ListAuditQuery, 'page' | 'pageSize'>,
  scope?: SQL,
): Promise<{ items: AuditEvent[]; total: number }> {
  const where: (SQL | undefined)[] = [scope];
  if (q.action) where.push(eq(auditLog.action, q.action));
  if (q.actorId) where.push(eq(auditLog.actorId, q.actorId));
  if (q.targetType) where.push(eq(auditLog.targetType, q.targetType));
  if (q.targetId) where.push(eq(auditLog.targetId, q.targetId));
  if (q.from) where.push(gte(auditLog.occurredAt, new Date(q.from)));
  if (q.to) where.push(lte(auditLog.occurredAt, new Date(q.to)));
  if (q.q) {
    const like = `%${escapeLike(q.q)}%`;
    // An event about a user (a suspension, say) names them in details.email:
    // searching for someone's address finds what was done to them, too.
    where.push(
      or(
        ilike(auditLog.actorEmail, like),
        ilike(auditLog.targetId, like),
        ilike(auditLog.ip, like),
        ilike(sql`${auditLog.details}->>'email'`, like),
      ),
    );
  }
  const cond = and(...where);
  const [rows, [totalRow]] = await Promise.all([
    db
      .select()
      .from(auditLog)
      .where(cond)
      .orderBy(desc(auditLog.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(auditLog).where(cond),
  ]);
  return { items: rows.map(toAuditEvent), total: totalRow?.n ?? 0 };
}

export function securityScope(userId: string, actions: readonly AuditAction[]): SQL {
  return and(
    inArray(auditLog.action, [...actions]),
    or(eq(auditLog.actorId, userId), and(eq(auditLog.targetType, 'user'), eq(auditLog.targetId, userId))),
  )!;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  headHash: string | null;
  firstBadId?: string;
  reason?: string;
}

/** Walks the whole chain in id order, a page at a time, recomputing every hash. */
export async function verifyAuditChain(db: Executor, batch = 1000): Promise<VerifyResult> {
  const anchors = new Set<string>([GENESIS_HASH]);
  const purges = await db
    .select({ details: auditLog.details })
    .from(auditLog)
    .where(eq(auditLog.action, 'audit.purged'));
  for (const p of purges) if (typeof p.details.anchorHash === 'string') anchors.add(p.details.anchorHash);

  let lastId: bigint | null = null;
  let prev: string | null = null;
  let checked = 0;
  for (;;) {
    const rows: AuditRow[] = await db
      .select()
      .from(auditLog)
      .where(lastId === null ? undefined : gt(auditLog.id, lastId))
      .orderBy(asc(auditLog.id))
      .limit(batch);
    if (rows.length === 0) break;
    for (const r of rows) {
      const bad = (reason: string): VerifyResult => ({
        ok: false,
        checked,
        headHash: prev,
        firstBadId: r.id.toString(),
        reason,
      });
      if (prev === null) {
        // The oldest row must start the chain, or follow a recorded retention purge.
        if (!anchors.has(r.prevHash)) return bad('the oldest row links to a row that no purge record accounts for');
      } else if (r.prevHash !== prev) {
        return bad('the row does not link to the row before it (a row was removed or re-linked)');
      }
      if (chainHash(r.prevHash, r) !== r.hash) return bad('the row content does not match its hash (it was edited)');
      prev = r.hash;
      checked++;
    }
    lastId = rows[rows.length - 1]!.id;
  }
  return { ok: true, checked, headHash: prev };
}

/**
 * The sanctioned way rows leave the log: in one transaction, set the flag the
 * trigger checks, delete the oldest rows, and record the purge (with the hash
 * the oldest surviving row links to) as a new chained row.
 *
 * It deletes a prefix by id, up to the first row at or after the cut-off, so
 * that rows written by instances with slightly skewed clocks can never leave
 * a hole in the middle of the chain; at worst a few old rows live a day more.
 */
export async function purgeAuditBefore(db: Executor, cutoff: Date, now: Date): Promise<{ deleted: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
    const [keep] = await tx
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(gte(auditLog.occurredAt, cutoff))
      .orderBy(asc(auditLog.id))
      .limit(1);
    const prefix = keep ? lt(auditLog.id, keep.id) : undefined;
    const [lastDeleted] = await tx
      .select({ hash: auditLog.hash })
      .from(auditLog)
      .where(prefix)
      .orderBy(desc(auditLog.id))
      .limit(1);
    if (!lastDeleted) return { deleted: 0 };
    await tx.execute(sql`select set_config('uni_manager.audit_purge', 'on', true)`);
    const deleted = await tx.delete(auditLog).where(prefix).returning({ id: auditLog.id });
    await tx.execute(sql`select set_config('uni_manager.audit_purge', 'off', true)`);
    await appendAudit(
      tx,
      {
        action: 'audit.purged',
        targetType: 'audit_log',
        details: { before: cutoff.toISOString(), deleted: deleted.length, anchorHash: lastDeleted.hash },
      },
      now,
    );
    return { deleted: deleted.length };
  });
}
