import type { AuditAction, AuditEvent, ListAuditQuery } from '@uni-manager/contracts';
import {
  and,
  asc,
  count,
  desc,
  eq,
  gt,
  gte,
  ilike,
  inArray,
  isNotNull,
  isNull,
  lt,
  lte,
  min,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { escapeLike, query } from '../../lib/sql.js';
import { auditLog, type AuditRow } from '../../db/schema/index.js';
import { GENESIS_HASH, chainHash } from './audit.chain.js';

/**
 * Held by whoever links rows into the chain: the sealer (one pass at a time,
 * across instances) and retention. Writers never take it.
 */
export const AUDIT_SEAL_LOCK = 727_002;

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

/**
 * Records an event in the caller's transaction, so it exists exactly when
 * what it describes does. The row is unsealed: it waits on nobody, and the
 * sealer links it into the chain once it has committed.
 */
export async function appendAudit(tx: Executor, entry: AuditEntry, now: Date): Promise<void> {
  await tx.insert(auditLog).values(auditRow(entry, now));
}

/** Several events in one statement, in the order given: what appendAudit writes for each. */
export async function appendAudits(tx: Executor, entries: AuditEntry[], now: Date): Promise<void> {
  if (entries.length) await tx.insert(auditLog).values(entries.map((e) => auditRow(e, now)));
}

function auditRow(entry: AuditEntry, now: Date) {
  return {
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
}

/**
 * Links up to `limit` committed unsealed rows after the chain's head, in id
 * order, in one statement. The caller holds AUDIT_SEAL_LOCK in `tx`. The
 * hashes are computed from the rows as stored, which is what verify reads.
 */
async function sealLocked(tx: Executor, limit: number): Promise<number> {
  const pending = await tx.select().from(auditLog).where(isNull(auditLog.seq)).orderBy(asc(auditLog.id)).limit(limit);
  if (pending.length === 0) return 0;
  const [head] = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .where(isNotNull(auditLog.seq))
    .orderBy(desc(auditLog.seq))
    .limit(1);
  let seq = head?.seq ?? 0n;
  let prev = head?.hash ?? GENESIS_HASH;
  const links = pending.map((r) => {
    seq += 1n;
    const hash = chainHash(prev, r);
    const link = { id: r.id.toString(), seq: seq.toString(), prev, hash };
    prev = hash;
    return link;
  });
  await tx.execute(sql`select set_config('uni_manager.audit_seal', 'on', true)`);
  await tx.execute(sql`
    update audit_log as a set seq = v.seq, prev_hash = v.prev, hash = v.hash
    from jsonb_to_recordset(${JSON.stringify(links)}::jsonb) as v(id bigint, seq bigint, prev text, hash text)
    where a.id = v.id and a.seq is null`);
  await tx.execute(sql`select set_config('uni_manager.audit_seal', 'off', true)`);
  return links.length;
}

/** Is anything waiting to be sealed? One index probe, so an idle sealer costs next to nothing. */
export async function hasUnsealed(db: Executor): Promise<boolean> {
  const [row] = await db.select({ id: auditLog.id }).from(auditLog).where(isNull(auditLog.seq)).limit(1);
  return row !== undefined;
}

/**
 * One sealing pass. If another instance is sealing right now it returns at
 * once (busy): two sealers never interleave, so no position is given twice
 * (the unique index on seq would refuse it anyway). A sealer that dies
 * mid-pass rolls back with its transaction and releases the lock with its
 * connection; the next pass starts from the head that did commit.
 */
export async function sealAuditBatch(db: Db, limit = 2_000): Promise<{ sealed: number; busy: boolean }> {
  return db.transaction(async (tx) => {
    const {
      rows: [lock],
    } = await query<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${AUDIT_SEAL_LOCK}) as locked`);
    if (!lock?.locked) return { sealed: 0, busy: true };
    return { sealed: await sealLocked(tx, limit), busy: false };
  });
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
  /** Sealed rows whose links and hashes were recomputed. */
  checked: number;
  headHash: string | null;
  firstBadId?: string;
  reason?: string;
  /** Rows written but not yet linked: the sealer's backlog, normally empty within a second or two. */
  unsealed: number;
  oldestUnsealedAt: Date | null;
}

/**
 * Walks the sealed chain in seq order, a page at a time, recomputing every
 * hash: an edited row fails its hash, a removed or inserted one breaks the
 * links or the run of positions. Then reports the unsealed backlog.
 */
export async function verifyAuditChain(db: Executor, batch = 1000): Promise<VerifyResult> {
  const anchors = new Set<string>([GENESIS_HASH]);
  const purges = await db
    .select({ details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.action, 'audit.purged'), isNotNull(auditLog.seq)));
  for (const p of purges) if (typeof p.details.anchorHash === 'string') anchors.add(p.details.anchorHash);

  const [backlog] = await db
    .select({ n: count(), oldest: min(auditLog.occurredAt) })
    .from(auditLog)
    .where(isNull(auditLog.seq));
  const unsealed = { unsealed: backlog?.n ?? 0, oldestUnsealedAt: backlog?.oldest ?? null };

  let lastSeq: bigint | null = null;
  let prev: string | null = null;
  let checked = 0;
  for (;;) {
    const rows: AuditRow[] = await db
      .select()
      .from(auditLog)
      .where(lastSeq === null ? isNotNull(auditLog.seq) : gt(auditLog.seq, lastSeq))
      .orderBy(asc(auditLog.seq))
      .limit(batch);
    if (rows.length === 0) break;
    for (const r of rows) {
      const bad = (reason: string): VerifyResult => ({
        ok: false,
        checked,
        headHash: prev,
        firstBadId: r.id.toString(),
        reason,
        ...unsealed,
      });
      if (prev === null) {
        // The oldest row must start the chain, or follow a recorded retention purge.
        if (!anchors.has(r.prevHash!)) return bad('the oldest row links to a row that no purge record accounts for');
        if (r.prevHash === GENESIS_HASH && r.seq !== 1n) return bad('the chain does not start at position 1');
      } else {
        if (r.prevHash !== prev)
          return bad('the row does not link to the row before it (a row was removed or re-linked)');
        if (r.seq !== lastSeq! + 1n)
          return bad('a position in the chain is missing or repeated (a row was removed or inserted)');
      }
      if (chainHash(r.prevHash!, r) !== r.hash) return bad('the row content does not match its hash (it was edited)');
      prev = r.hash;
      lastSeq = r.seq;
      checked++;
    }
  }
  return { ok: true, checked, headHash: prev, ...unsealed };
}

/**
 * The sanctioned way rows leave the log: in one transaction, holding the
 * sealer's lock, seal what is pending, set the flag the trigger checks,
 * delete the oldest sealed rows, and record the purge (with the hash the
 * oldest surviving row links to) as a new row, sealed before commit so the
 * chain never lacks its anchor.
 *
 * It deletes a prefix by chain position, up to the first row at or after the
 * cut-off, so that rows written by instances with slightly skewed clocks can
 * never leave a hole in the middle of the chain; at worst a few old rows live
 * a day more.
 */
export async function purgeAuditBefore(db: Db, cutoff: Date, now: Date): Promise<{ deleted: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_SEAL_LOCK})`);
    while ((await sealLocked(tx, 10_000)) > 0);
    const [keep] = await tx
      .select({ seq: auditLog.seq })
      .from(auditLog)
      .where(and(isNotNull(auditLog.seq), gte(auditLog.occurredAt, cutoff)))
      .orderBy(asc(auditLog.seq))
      .limit(1);
    const prefix = keep ? lt(auditLog.seq, keep.seq!) : isNotNull(auditLog.seq);
    const [lastDeleted] = await tx
      .select({ hash: auditLog.hash })
      .from(auditLog)
      .where(prefix)
      .orderBy(desc(auditLog.seq))
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
    await sealLocked(tx, 10_000);
    return { deleted: deleted.length };
  });
}
