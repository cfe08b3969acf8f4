import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vms } from '../../db/schema/index.js';
import { query } from '../../lib/sql.js';
import {
  buildTestApp,
  createTestDatabase,
  env,
  STRONG_PASSWORD,
  spawnCli,
  type TestApp,
  type TestDatabase,
} from '../../test/harness.js';
import { applyVmPatch } from '../vms/operations/engine.js';

/**
 * Exactly-once on PostgreSQL, with real processes: two cycles for the same
 * instant at once charge once; a `uni-manager billing run` SIGKILLed in the
 * middle of its transaction leaves nothing behind, and the next run charges
 * the whole period once.
 */
const HOUR = 3_600_000;
const VMS = 120;
const RATE = 360; // minor units an hour: 0.1 a second

let tdb: TestDatabase;
let t: TestApp;
const t0 = new Date(Date.UTC(2026, 5, 10, 8, 0, 0));
const owners: string[] = [];
const children: ChildProcess[] = [];

beforeAll(async () => {
  if (!env.databaseUrl) throw new Error('this test needs TEST_DATABASE_URL');
  tdb = await createTestDatabase();
  t = await buildTestApp({ database: tdb.database, env: { INITIAL_CREDITS: '100000000' } });
  for (let i = 0; i < 6; i++) {
    const { id } = await t.services.users.createAccount(
      {
        email: `crash-${i}-${randomUUID().slice(0, 6)}@example.org`,
        displayName: 'C',
        password: STRONG_PASSWORD,
        role: 'user',
      },
      { ip: null, userAgent: 'test', requestId: null },
    );
    owners.push(id);
  }
  const db = t.database.db;
  for (let i = 0; i < VMS; i++) {
    const id = randomUUID();
    await db.insert(vms).values({
      id,
      ownerId: owners[i % owners.length]!,
      name: `vm-${i}`,
      cores: 1,
      memoryMib: 1024,
      diskGib: 10,
      status: 'provisioning',
      powerState: 'unknown',
      priceRunningPerHour: RATE,
      baseCores: 1,
      baseMemoryMib: 1024,
      baseDiskGib: 10,
      createdAt: t0,
      updatedAt: t0,
    });
    await db.transaction((tx) => applyVmPatch(tx, id, { status: 'active', powerState: 'running' }, t0, 'operation'));
  }
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await t?.close();
  await tdb?.drop();
});

function billingRun(at: Date) {
  const run = spawnCli(['billing', 'run', '--at', at.toISOString()], {
    databaseUrl: tdb.url!,
    env: { BILLING_ALLOW_FUTURE_RUNS: 'true' },
  });
  children.push(run.child);
  return run;
}

async function charged(periodEnd: Date): Promise<{ n: number; amount: number }> {
  const r = await query<{ n: string; amount: string | null }>(
    t.database.db,
    sql`select count(*)::text as n, sum(amount)::text as amount from ledger_transfers
        where kind = 'usage' and period_end = ${periodEnd.toISOString()}::timestamptz`,
  );
  return { n: Number(r.rows[0]!.n), amount: Number(r.rows[0]!.amount ?? 0) };
}

describe('billing on PostgreSQL', () => {
  it(
    'charges once when two cycles for the same instant run at once, in two processes and in this one',
    { timeout: 120_000 },
    async () => {
      const at = new Date(t0.getTime() + HOUR);
      const a = billingRun(at);
      const b = billingRun(at);
      const [ra, rb] = await Promise.all([
        a.done,
        b.done,
        t.services.billing.runCycle({ at, trigger: 'manual' }),
        t.services.billing.runCycle({ at, trigger: 'manual' }),
      ]);
      expect(ra.code, ra.out).toBe(0);
      expect(rb.code, rb.out).toBe(0);
      expect(await charged(at)).toEqual({ n: VMS, amount: VMS * RATE });
      const verify = await t.services.billing.verify();
      expect(verify.violation).toBeNull();
    },
  );

  it(
    'leaves nothing when a run is killed mid-transaction, and the next run charges the period once',
    { timeout: 180_000 },
    async () => {
      const at = new Date(t0.getTime() + 3 * HOUR);
      // Hold the usage account's row: the run gets as far as posting its transfers and waits there.
      const blocker = new pg.Client({ connectionString: tdb.url! });
      // The database is dropped with force at the end: a connection cut then is expected.
      blocker.on('error', () => {});
      await blocker.connect();
      await blocker.query('begin');
      await blocker.query(`select 1 from ledger_accounts where kind = 'usage' for no key update`);
      // Another connection watches: inside the blocker's transaction, pg_stat_activity is a frozen snapshot.
      const watcher = new pg.Client({ connectionString: tdb.url! });
      watcher.on('error', () => {});
      await watcher.connect();
      const killed = billingRun(at);
      let exited: string | null = null;
      void killed.done.then((r) => (exited = `exit ${r.code}: ${r.out}`));
      const until = Date.now() + 90_000;
      for (;;) {
        const waiting = await watcher.query(
          `select count(*)::int as n from pg_stat_activity
         where application_name = 'uni-manager' and wait_event_type = 'Lock' and query ilike '%credits_posted%'`,
        );
        if (waiting.rows[0].n > 0) break;
        if (exited) throw new Error(`the billing run ended before it could be killed: ${exited}`);
        if (Date.now() > until) {
          const seen = await watcher.query(
            `select application_name, state, wait_event_type, left(query, 120) as q from pg_stat_activity where datname = current_database()`,
          );
          throw new Error(
            `the billing run never reached the usage account: ${JSON.stringify(seen.rows)}; it said: ${killed.output()}`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      killed.child.kill('SIGKILL');
      await killed.done;
      await blocker.query('commit');
      await blocker.end();
      // Its transaction died with it: no transfer, no meter moved.
      expect(await charged(at)).toEqual({ n: 0, amount: 0 });
      const verify = await t.services.billing.verify();
      expect(verify.violation).toBeNull();

      const rerun = billingRun(at);
      const r = await rerun.done;
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain(`${VMS} charge(s)`);
      // Two hours since the last charge, charged once: nothing lost, nothing twice.
      expect(await charged(at)).toEqual({ n: VMS, amount: VMS * RATE * 2 });
      const again = billingRun(at);
      expect((await again.done).out).toContain('0 charge(s)');
      expect((await t.services.billing.verify()).violation).toBeNull();
      for (const owner of owners) {
        const b = await t.services.billing.balance(owner);
        expect(b.posted).toBe(100_000_000 - (VMS / owners.length) * RATE * 3);
      }
    },
  );

  it('billing verify exits 1 and names the first violation', { timeout: 60_000 }, async () => {
    const c = new pg.Client({ connectionString: tdb.url! });
    c.on('error', () => {});
    await c.connect();
    // A tampered total: the kind of edit the ledger exists to expose.
    await c.query(`update ledger_accounts set credits_posted = credits_posted + 1 where kind = 'grants'`);
    await c.end();
    const out = await spawnCli(['billing', 'verify'], { databaseUrl: tdb.url! }).done;
    expect(out.code, out.out).toBe(1);
    expect(out.out).toMatch(/LEDGER INCONSISTENT: account .* \(grants\) records debits/);
  });
});
