/**
 * bench:billing — one billing cycle over many VMs on PostgreSQL: the
 * set-based cycle of billing.meter.ts, next to a naive per-VM loop over the
 * same data, and the live-balance check (billing service's watch()).
 *
 *   npm run bench:billing -- [--vms 100000] [--users VMS/5] [--sample 5000]
 *                            [--database-url URL] [--keep] [--explain]
 *
 * URL: --database-url, else BENCH_DATABASE_URL, else TEST_DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/postgres. A fresh database is created
 * beside it and dropped at the end (kept with --keep, with a copy as seeded).
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openPostgres, type Database, type Db } from '../../apps/api/src/db/client.js';
import type { OperationQueue } from '../../apps/api/src/jobs/operation-queue.js';
import { createLogger } from '../../apps/api/src/lib/logger.js';
import { query } from '../../apps/api/src/lib/sql.js';
import { verifyLedger } from '../../apps/api/src/modules/billing/billing.ledger.js';
import { chargeUpTo, enterBilling, type CycleResult } from '../../apps/api/src/modules/billing/billing.meter.js';
import { createBillingService } from '../../apps/api/src/modules/billing/billing.service.js';
import { benchConfig } from '../lib/config.js';
import { createPostgresDatabase } from '../lib/database.js';
import { loadSummary, machineSummary } from '../lib/machine.js';
import { ms, table } from '../lib/stats.js';
import { checkAgainstPlan } from './expected.js';
import { explainCycle } from './explain.js';
import { postgresCpuMs, timed, type StatementTimes } from './measure.js';
import { naiveCycle } from './naive.js';
import { poorStride, seed, SLOTS } from './seed.js';
import { reportChecks, runBenchmark } from '../lib/run.js';

const { values: opt } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    vms: { type: 'string', default: '100000' },
    users: { type: 'string' },
    sample: { type: 'string', default: '5000' },
    keep: { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
  },
});
const VMS = Number(opt.vms);
const USERS = opt.users ? Number(opt.users) : Math.max(1, Math.ceil(VMS / 5));
const SAMPLE = Math.min(Number(opt.sample), VMS);
if (![VMS, USERS, SAMPLE].every((n) => Number.isInteger(n) && n > 0)) {
  throw new Error('--vms, --users and --sample take positive integers');
}
const baseUrl =
  opt['database-url'] ||
  process.env.BENCH_DATABASE_URL ||
  process.env.TEST_DATABASE_URL ||
  'postgres://postgres@127.0.0.1:5432/postgres';

const TARGET_CYCLE_MS = 5_000;
const TARGET_RATIO = 20;
const TARGET_WATCH_MS = 1_000;
/** The live-balance check runs this long after the cycle: a reconciliation interval or so. */
const WATCH_AFTER_MS = 5 * 60_000;

const HOUR_MS = 3_600_000;
const cycleAt = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS);
const hourStart = new Date(cycleAt.getTime() - HOUR_MS);
const micros = (d: Date) => BigInt(d.getTime()) * 1000n;

const out = (s = '') => process.stdout.write(`${s}\n`);
/** Progress of the long steps, on stderr: stdout keeps only what is worth pasting. */
let lastProgress = performance.now();
const progress = (s: string) => {
  const now = performance.now();
  process.stderr.write(`… ${s} (previous step ${((now - lastProgress) / 1000).toFixed(1)} s)\n`);
  lastProgress = now;
};
const failures: string[] = [];
const checks: string[] = [];
const check = (ok: boolean, what: string) => {
  checks.push(`  ${ok ? 'ok  ' : 'FAIL'}  ${what}`);
  if (!ok) failures.push(what);
};
const n = (x: number | bigint) => x.toLocaleString('en-US');
const secs = (msValue: number) => `${(msValue / 1000).toFixed(msValue < 10_000 ? 2 : 1)} s`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

const cleanup: (() => Promise<unknown>)[] = [];

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const cpuSince = (before: number | null, after: number | null) =>
  before === null || after === null ? null : after - before;
const nodeMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const cpu = (v: number | null) => (v === null ? 'n/a' : ms(v));
/** The statements that took most of `times`, slowest first. */
const slowest = (times: StatementTimes, count: number): [string, string][] =>
  [...times]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, count)
    .map(([k, v]) => [`  ${k}`, `${ms(v.ms)}${v.calls > 1 ? ` (${n(v.calls)} calls)` : ''}`]);

function uuidOf(name: string): string {
  const h = createHash('md5').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

async function main() {
  const info = await createPostgresDatabase(baseUrl);
  const name = new URL(info.url!).pathname.slice(1);
  let database: Database = openPostgres(info.url!, { poolMax: 4 });
  let db: Db = database.db;
  cleanup.push(async () => {
    await database.close().catch(() => {});
    if (!opt.keep) await info.drop().catch((e) => out(`could not drop the database: ${String(e)}`));
  });
  const config = benchConfig({ NODE_ENV: 'test', LOG_LEVEL: 'error' });
  const cap = config.MONTHLY_CAP_HOURS;

  const settings = await query<{ name: string; setting: string; unit: string | null }>(
    db,
    sql`select name, setting, unit from pg_settings where name in
        ('server_version', 'shared_buffers', 'work_mem', 'jit', 'synchronous_commit', 'max_parallel_workers_per_gather')`,
  );
  const setting = (k: string) => {
    const s = settings.rows.find((r) => r.name === k);
    if (!s) return '?';
    if (s.unit === '8kB') return `${(Number(s.setting) * 8) / 1024} MB`;
    return s.unit ? `${s.setting} ${s.unit}` : s.setting;
  };

  out(`bench:billing  ${new Date().toISOString()}`);
  out(`  machine   ${machineSummary()}`);
  out(`  load      ${loadSummary()}`);
  out(`  database  ${info.label}`);
  out(
    `  postgres  shared_buffers ${setting('shared_buffers')}, work_mem ${setting('work_mem')}, jit ${setting('jit')}, ` +
      `synchronous_commit ${setting('synchronous_commit')}, max_parallel_workers_per_gather ${setting('max_parallel_workers_per_gather')}`,
  );
  out(
    `  setup     ${n(VMS)} VMs of ${n(USERS)} users, their history over ${hourStart.toISOString()} → ` +
      `${cycleAt.toISOString()}; cycle at ${cycleAt.toISOString()}, monthly cap ${cap} h; ` +
      `naive loop on ${n(SAMPLE)} of them`,
  );

  progress(`seeding ${n(VMS)} VMs of ${n(USERS)} users`);
  const seeded = await seed(db, { vms: VMS, users: USERS, hourStart });
  const seedMs = seeded.steps.reduce((a, [, t]) => a + t, 0);

  const counts = (
    await query<Record<string, string>>(
      db,
      sql`select
        (select count(*) from users)::text as users,
        (select count(*) from ledger_accounts where kind = 'wallet')::text as wallets,
        (select count(*) from vms)::text as vms,
        (select count(*) from vms where status = 'active' and power_state in ('running', 'paused'))::text as running,
        (select count(*) from vms where status = 'deleted')::text as deleted,
        (select count(*) from vm_meters)::text as meters,
        (select count(*) from vm_meters where metered_through = ${hourStart.toISOString()}::timestamptz)::text as fresh,
        (select count(*) from vm_rate_periods)::text as periods,
        (select count(*) from ledger_transfers)::text as transfers,
        (select pg_size_pretty(pg_database_size(current_database()))) as size`,
    )
  ).rows[0]!;

  progress(`naive per-VM loop on ${n(SAMPLE)} VMs (rolled back)`);
  const naiveCpu = { pg: await postgresCpuMs(db), node: process.cpuUsage() };
  const naive = await naiveCycle(db, cycleAt, micros(cycleAt), cap, SAMPLE);
  const naivePgMs = cpuSince(naiveCpu.pg, await postgresCpuMs(db));
  const naiveNodeMs = nodeMs(process.cpuUsage(naiveCpu.node));
  // The rolled-back rows are dead tuples; the cycle should not pay for them.
  await db.execute(sql`vacuum analyze vm_meters, ledger_accounts, ledger_transfers`);

  if (opt.keep) {
    // CREATE DATABASE … TEMPLATE needs the source idle: close our pool for the copy.
    progress(`copying the seeded database to ${name}_seeded (--keep)`);
    await database.close();
    await withAdmin((c) => c.query(`create database ${name}_seeded template ${name}`));
    database = openPostgres(info.url!, { poolMax: 4 });
    db = database.db;
  }

  let plans: string[] = [];
  if (opt.explain) {
    progress('EXPLAIN ANALYZE of the cycle (auto_explain, rolled back)');
    plans = await explainCycle(info.url!, cycleAt, cap);
    await db.execute(sql`vacuum analyze vm_meters, ledger_accounts, ledger_transfers`);
  }

  progress('billing cycle');
  const statements: StatementTimes = new Map();
  const loadBefore = loadSummary();
  const cyclePg0 = await postgresCpuMs(db);
  let t = performance.now();
  const cycle = await timed(db, statements).transaction(async (tx) => {
    await enterBilling(tx, true);
    return chargeUpTo(tx, cycleAt, cap);
  });
  const cycleMs = performance.now() - t;
  const cyclePgMs = cpuSince(cyclePg0, await postgresCpuMs(db));

  // What autovacuum does within a minute of a cycle this size. Without it the
  // statistics still describe the ledger as seeded (every transfer debiting the
  // grants account), and verifyLedger's per-account subqueries become a
  // sequential scan of ledger_transfers per account: hours at 1,000,000 VMs.
  progress('analyze after the cycle');
  t = performance.now();
  await db.execute(sql`analyze ledger_transfers, ledger_accounts, vm_meters`);
  const analyzeMs = performance.now() - t;

  progress('checks');
  const plan = await checkAgainstPlan(db, micros(hourStart), micros(cycleAt), cap);
  const sampled = [...naive.charged.keys()];
  const after = await query<{ vm_id: string; settled: string; waived: string; transferred: string }>(
    db,
    sql`
    select m.vm_id, m.settled::text, m.waived::text,
      coalesce((select sum(amount) from ledger_transfers t where t.vm_id = m.vm_id and t.kind = 'usage'), 0)::text
        as transferred
    from vm_meters m where m.vm_id = any(${sql.raw(`'{${sampled.join(',')}}'`)}::uuid[])`,
  );
  const differ = after.rows.filter((r) => {
    const want = naive.charged.get(r.vm_id)!;
    const charged = want.exempt ? 0n : want.amount;
    return (
      BigInt(r.settled) !== want.amount ||
      BigInt(r.waived) !== want.amount - charged ||
      BigInt(r.transferred) !== charged
    );
  });
  const verified = await verifyLedger(db);
  const again: CycleResult = await db.transaction(async (tx) => {
    await enterBilling(tx, true);
    return chargeUpTo(tx, cycleAt, cap);
  });
  const verifiedAgain = await verifyLedger(db);

  progress('live-balance check (watch)');
  const enqueued: string[] = [];
  const queue: OperationQueue = {
    async enqueue(id) {
      enqueued.push(id);
    },
    consume() {},
    async close() {},
  };
  const watchAt = new Date(cycleAt.getTime() + WATCH_AFTER_MS);
  const watchStatements: StatementTimes = new Map();
  const billing = createBillingService({
    db: timed(db, watchStatements),
    clock: { now: () => watchAt },
    logger: createLogger({ level: 'error' }),
    queue,
    settings: {
      unitName: config.CREDIT_UNIT_NAME,
      initialCredits: config.INITIAL_CREDITS,
      cycleMinutes: config.BILLING_CYCLE_MINUTES,
      monthlyCapHours: cap,
      autoShutdown: config.ENABLE_AUTO_SHUTDOWN,
      minBalanceHours: config.MIN_BALANCE_HOURS,
      lowBalanceHours: config.LOW_BALANCE_HOURS,
      allowFutureRuns: config.BILLING_ALLOW_FUTURE_RUNS,
      paymentsEnabled: config.ENABLE_PAYMENTS,
      shutdownTimeoutSeconds: config.SHUTDOWN_TIMEOUT,
    },
  });
  const watchPg0 = await postgresCpuMs(db);
  t = performance.now();
  const watched = await billing.watch();
  const watchMs = performance.now() - t;
  const watchPgMs = cpuSince(watchPg0, await postgresCpuMs(db));
  const firstWatch = new Map(watchStatements);
  watchStatements.clear();
  t = performance.now();
  const watchedAgain = await billing.watch();
  const watchAgainMs = performance.now() - t;

  const stride = poorStride(USERS);
  const poorIds: string[] = [];
  for (let k = 7; k <= USERS; k += stride) poorIds.push(uuidOf(`bench-user:${k}`));
  const alerts = await query<{ id: string; alert: string; poor: boolean; due: boolean }>(
    db,
    sql`
    select u.id, coalesce(u.balance_alert, '-') as alert,
      u.id = any(${sql.raw(`'{${poorIds.join(',')}}'`)}::uuid[]) as poor,
      not u.billing_exempt and exists (select 1 from vms v where v.owner_id = u.id and v.rate_x1024 > 0) as due
    from users u
    where u.balance_alert is not null or u.id = any(${sql.raw(`'{${poorIds.join(',')}}'`)}::uuid[])`,
  );
  const shutdownOps = await query<{ n: string }>(
    db,
    sql`select count(*)::text as n from vm_operations where params->>'reason' = 'credits_exhausted'`,
  );

  // Checks first: a figure about a cycle that charged the wrong amounts is worth nothing.
  check(
    Number(counts.meters) === VMS && Number(counts.fresh) === VMS && Number(counts.wallets) === USERS,
    `seeded: ${n(VMS)} meters, all opened at the hour's start; one wallet per user (${n(Number(counts.wallets))})`,
  );
  check(
    Number(counts.periods) === plan.ratePeriods,
    `the trigger recorded one rate period per VM and per rate change: ${n(Number(counts.periods))} (plan: ${n(plan.ratePeriods)})`,
  );
  check(
    cycle.vms === VMS,
    `the cycle metered every VM: ${n(cycle.vms)} of ${n(VMS)}, ${n(cycle.transfers)} transfers (plan: ${n(plan.transfers)})`,
  );
  check(
    cycle.transfers === plan.transfers && BigInt(cycle.amount) + BigInt(cycle.waived) === plan.total,
    `sum charged + waived = sum of per-VM expected amounts from the plan: ${n(cycle.amount)} + ${n(cycle.waived)} = ${n(plan.total)} minor units`,
  );
  check(
    plan.mismatches === 0,
    `every VM's meter settled exactly its expected amount (${n(plan.mismatches)} differ${plan.examples.length ? `: ${plan.examples.join('; ')}` : ''})`,
  );
  check(
    after.rows.length === naive.charged.size && differ.length === 0,
    `the naive loop charged each of its ${n(naive.charged.size)} VMs what the cycle charged (${n(differ.length)} differ${
      differ.length
        ? `, e.g. ${differ[0]!.vm_id}: naive ${naive.charged.get(differ[0]!.vm_id)!.amount}, cycle ${differ[0]!.settled}`
        : ''
    })`,
  );
  check(
    verified.ok,
    `verifyLedger after the cycle: ${verified.ok ? 'holds' : verified.violation} (${n(verified.accounts)} accounts, ${n(verified.transfers)} transfers)`,
  );
  check(
    again.vms === 0 && again.transfers === 0 && again.amount === 0 && verifiedAgain.transfers === verified.transfers,
    `a second cycle at the same instant charges nothing (${again.vms} VMs, ${again.transfers} transfers, ${again.amount} minor units) and verifyLedger still holds: ${verifiedAgain.ok}`,
  );
  const alerted = alerts.rows.filter((r) => r.alert !== '-');
  const shouldAlert = alerts.rows.filter((r) => r.poor && r.due);
  check(
    alerted.every((r) => r.poor) && shouldAlert.every((r) => r.alert !== '-'),
    `watch alerted exactly the users given little credit that have billable VMs (${alerted.length} alerted, ${shouldAlert.length} expected)`,
  );
  check(
    enqueued.length === watched.shutdowns && Number(shutdownOps.rows[0]!.n) === watched.shutdowns,
    `watch queued ${watched.shutdowns} shutdown operations and delivered each to the queue (${enqueued.length})`,
  );
  check(
    watchedAgain.shutdowns === 0 && watchedAgain.low === watched.low && watchedAgain.exhausted === watched.exhausted,
    'watch again: same alerts, no new shutdown',
  );
  out('\nChecks');
  for (const line of checks) out(line);

  const perVm = naive.loopMs / naive.charged.size;
  const naiveTotal = naive.listMs + perVm * naive.due;
  const ratio = naiveTotal / cycleMs;
  out('\nData');
  out(
    table([
      [
        'users',
        `${n(Number(counts.users))} (${n(seeded.exemptUsers)} billing-exempt, ${n(seeded.poorUsers)} given little credit)`,
      ],
      ['VMs', n(Number(counts.vms))],
      ...[...seeded.scenarios].map(([k, v]): [string, string] => [`  ${k}`, n(v)]),
      [
        'state changes in the hour',
        `${n(seeded.events)}, played as ${SLOTS} chronological UPDATE batches; at the cycle ${n(Number(counts.running))} running or suspended, ${n(Number(counts.deleted))} deleted`,
      ],
      ['rate periods (written by the trigger)', n(Number(counts.periods))],
      ['ledger before the cycle', `${n(Number(counts.transfers))} grant transfers; database ${counts.size}`],
      ['seeding (not a target)', secs(seedMs)],
      ...seeded.steps.map(([k, v]): [string, string] => [`  ${k}`, secs(v)]),
    ]),
  );

  const other = cycleMs - [...statements.values()].reduce((a, v) => a + v.ms, 0);
  out('\nFigures');
  out(`  load before the cycle: ${loadBefore}`);
  out(
    table([
      [
        'billing cycle (enterBilling + chargeUpTo, commit included)',
        `${ms(cycleMs)}  target ≤ 5 s  ${verdict(cycleMs <= TARGET_CYCLE_MS)}`,
      ],
      ...[...statements].map(([k, v]): [string, string] => [`  ${k}`, ms(v.ms)]),
      ['  begin, commit, driver', ms(other)],
      ['  PostgreSQL CPU during the cycle', cpu(cyclePgMs)],
      [
        `naive per-VM loop, measured on ${n(naive.charged.size)} VMs`,
        `${ms(naive.loopMs)} (${perVm.toFixed(2)} ms per VM, ${(naive.roundTrips / naive.charged.size).toFixed(1)} round trips per VM)`,
      ],
      ['  CPU: PostgreSQL, this process', `${cpu(naivePgMs)}, ${ms(naiveNodeMs)}`],
      [
        `naive per-VM loop, EXTRAPOLATED to ${n(naive.due)} VMs`,
        `${secs(naiveTotal)} (listing the VMs ${ms(naive.listMs)} + ${n(naive.due)} × ${perVm.toFixed(2)} ms)`,
      ],
      ['ratio naive / set-based', `${ratio.toFixed(1)}×  target ≥ 20×  ${verdict(ratio >= TARGET_RATIO)}`],
      [
        `live-balance check: watch(), ${WATCH_AFTER_MS / 60_000} min after the cycle`,
        `${ms(watchMs)}  target ≤ 1 s  ${verdict(watchMs <= TARGET_WATCH_MS)}`,
      ],
      [
        '  what it did',
        `${n(watched.checked)} users checked: ${watched.low} low, ${watched.exhausted} exhausted, ${watched.shutdowns} shutdowns queued`,
      ],
      ...slowest(firstWatch, 4),
      ['  PostgreSQL CPU', cpu(watchPgMs)],
      [
        'live-balance check again (alerts already sent)',
        `${ms(watchAgainMs)}  (${n(watchedAgain.checked)} users checked, ${watchedAgain.shutdowns} shutdowns queued)`,
      ],
    ]),
  );
  out(`  load after: ${loadSummary()}`);
  out(`  (then ANALYZE of the ledger and meters before the checks, as autovacuum would: ${secs(analyzeMs)})`);
  out('\nTargets');
  out(`  ${verdict(cycleMs <= TARGET_CYCLE_MS)}  billing cycle over ${n(VMS)} VMs ≤ 5 s: ${secs(cycleMs)}`);
  out(
    `  ${verdict(ratio >= TARGET_RATIO)}  naive loop / set-based cycle ≥ 20×: ${ratio.toFixed(1)}× ` +
      `(naive EXTRAPOLATED from ${n(naive.charged.size)} VMs)`,
  );
  out(`  ${verdict(watchMs <= TARGET_WATCH_MS)}  live-balance check ≤ 1 s: ${ms(watchMs)}`);

  if (plans.length) {
    out('\nEXPLAIN ANALYZE of the cycle (auto_explain, in a transaction rolled back before the measured cycle)');
    for (const p of plans) out(`\n${p}`);
  }
  if (opt.keep) {
    out(`\nKept: ${name} (after the cycle) and ${name}_seeded (as seeded, before any cycle; the cycle's instant is`);
    out(`${cycleAt.toISOString()}). Drop them with: drop database ${name}; drop database ${name}_seeded;`);
  }
  progress('done');
  reportChecks(failures, out);
}

runBenchmark('bench:billing', main, cleanup);
