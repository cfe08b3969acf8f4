import type { ChildProcess } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../lib/sql.js';
import { createLogger } from '../../lib/logger.js';
import { createTestDatabase, env, spawnCli, type TestDatabase } from '../../test/harness.js';
import { AUDIT_SEAL_LOCK, appendAudit, sealAuditBatch, verifyAuditChain } from './audit.repo.js';
import { createAuditSealer } from './audit.sealer.js';

/**
 * The audit chain on PostgreSQL with real concurrency: writers that never
 * wait on each other, several sealers racing, and a sealer process killed
 * with SIGKILL in the middle of a batch.
 */
const logger = createLogger({ level: 'silent' });

let tdb: TestDatabase;
const children: ChildProcess[] = [];

beforeAll(async () => {
  if (!env.databaseUrl) throw new Error('this test needs TEST_DATABASE_URL');
  tdb = await createTestDatabase();
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await tdb?.drop();
});

const db = () => tdb.database.db;

async function positions(): Promise<{ n: number; min: number | null; max: number | null; distinct: number }> {
  const { rows } = await query<{ n: number; min: string | null; max: string | null; distinct: number }>(
    db(),
    sql`select count(*)::int as n, min(seq)::text as min, max(seq)::text as max, count(distinct seq)::int as distinct
        from audit_log where seq is not null`,
  );
  const r = rows[0]!;
  return {
    n: r.n,
    min: r.min === null ? null : Number(r.min),
    max: r.max === null ? null : Number(r.max),
    distinct: r.distinct,
  };
}

describe('the audit chain on PostgreSQL', () => {
  it('lets a writer commit while another writing transaction is still open', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let firstCommitted = false;
    const first = db()
      .transaction(async (tx) => {
        await appendAudit(tx, { action: 'auth.login', details: { who: 'slow' } }, new Date());
        await held;
      })
      .then(() => (firstCommitted = true));
    // Under the old global lock this second transaction waited for the first to end: here it would hang.
    await db().transaction((tx) => appendAudit(tx, { action: 'auth.login', details: { who: 'fast' } }, new Date()));
    expect(firstCommitted).toBe(false);
    release();
    await first;
  });

  it(
    'gives every row one position, without gaps, with writers and four sealers racing',
    { timeout: 60_000 },
    async () => {
      const sealers = Array.from({ length: 4 }, () =>
        createAuditSealer({ db: db(), logger, intervalMs: 5, batchSize: 7 }),
      );
      for (const s of sealers) s.start();
      const WRITERS = 40;
      const ROWS = 25;
      await Promise.all(
        Array.from({ length: WRITERS }, async (_, w) => {
          for (let i = 0; i < ROWS; i++) {
            await db().transaction(async (tx) => {
              await appendAudit(tx, { action: 'auth.login', details: { w, i } }, new Date());
              if (i % 3 === 0) await tx.execute(sql`select pg_sleep(0.002)`);
              await appendAudit(tx, { action: 'auth.logout', details: { w, i } }, new Date());
            });
          }
        }),
      );
      await Promise.all(sealers.map((s) => s.stop()));
      // While another instance holds the sealer's lock, a pass gives way without touching anything.
      await db().execute(sql`insert into audit_log (occurred_at, action, details) values (now(), 'auth.login', '{}')`);
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      const holder = db().transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_SEAL_LOCK})`);
        locked();
        await held;
      });
      await isLocked;
      expect(await sealAuditBatch(db(), 5)).toEqual({ sealed: 0, busy: true });
      release();
      await holder;
      await sealers[0]!.sealNow();

      const v = await verifyAuditChain(db());
      const total = 2 + WRITERS * ROWS * 2 + 1; // and the two rows of the first test, and the one above
      expect(v).toMatchObject({ ok: true, checked: total, unsealed: 0 });
      expect(await positions()).toEqual({ n: total, min: 1, max: total, distinct: total });
    },
  );

  it(
    'loses nothing when a sealer process is killed mid-batch, and the next one carries on',
    { timeout: 120_000 },
    async () => {
      const before = (await positions()).n;
      const ROWS = 60_000;
      await db().execute(
        sql`insert into audit_log (occurred_at, action, details)
          select now(), 'auth.login', jsonb_build_object('i', g) from generate_series(1, ${ROWS}) as g`,
      );
      const { child, done, output } = spawnCli(['audit', 'seal'], { databaseUrl: tdb.url! });
      children.push(child);

      // Wait until the child has sealed something and holds the sealer's lock, i.e. is inside a batch.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const { rows } = await query<{ locked: boolean; sealed: number }>(
          db(),
          sql`select exists(select 1 from pg_locks where locktype = 'advisory' and objid = ${AUDIT_SEAL_LOCK} and granted) as locked,
                   (select count(*)::int from audit_log where seq is not null) as sealed`,
        );
        if (rows[0]!.locked && rows[0]!.sealed > before) break;
        if (Date.now() > deadline) throw new Error(`the sealer never started: ${output()}`);
        await new Promise((r) => setTimeout(r, 2));
      }
      child.kill('SIGKILL');
      await done;

      // What the dead sealer committed is a valid chain; the rest waits, unsealed, lost nowhere.
      const mid = await verifyAuditChain(db());
      expect(mid.ok).toBe(true);
      expect(mid.checked).toBeGreaterThan(before);
      expect(mid.checked).toBeLessThan(before + ROWS);
      expect(mid.checked + mid.unsealed).toBe(before + ROWS);

      // A new sealer waits for the dead one's lock to go with its connection, then finishes the work.
      const next = createAuditSealer({ db: db(), logger, intervalMs: 50 });
      expect(await next.sealNow()).toBe(before + ROWS - mid.checked);
      const end = await verifyAuditChain(db());
      expect(end).toMatchObject({ ok: true, checked: before + ROWS, unsealed: 0 });
      expect(await positions()).toEqual({ n: before + ROWS, min: 1, max: before + ROWS, distinct: before + ROWS });
    },
  );
});
