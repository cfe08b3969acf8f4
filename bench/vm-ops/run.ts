/**
 * bench:vm-ops — many VM creations at once against the simulator, through the
 * real API and operation engine; checks every VM ended running with its own
 * VMID and no orphan, and measures what the platform adds to each operation
 * beyond the Proxmox tasks it waits on.
 *
 *   npm run bench:vm-ops -- [--database-url URL] [--count 200] [--time-scale 0.02]
 *                           [--concurrency 64] [--poll-ms 50] [--users 40] [--timeout 300]
 *
 * Without --database-url (or TEST_DATABASE_URL) it runs on in-memory PGlite.
 */
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { inArray, sql } from 'drizzle-orm';
import { buildApp } from '../../apps/api/src/app.js';
import { vmOperations, vms } from '../../apps/api/src/db/schema/index.js';
import { createLogger } from '../../apps/api/src/lib/logger.js';
import { createServices } from '../../apps/api/src/services.js';
import { addSimulatorAndTemplate } from '../../apps/api/src/test/cluster-load.js';
import { startSimulator } from '../../packages/pve-sim/src/index.js';
import { benchConfig } from '../lib/config.js';
import { openBenchDatabase } from '../lib/database.js';
import { loadSummary, machineSummary } from '../lib/machine.js';
import { median, ms, percentile, table } from '../lib/stats.js';
import { trackSimulatorTasks, type TaskSpan } from './sim-tasks.js';
import { reportChecks, runBenchmark } from '../lib/run.js';

const { values: opt } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    count: { type: 'string', default: '200' },
    'time-scale': { type: 'string', default: '0.02' },
    concurrency: { type: 'string', default: '64' },
    'poll-ms': { type: 'string', default: '50' },
    users: { type: 'string', default: '40' },
    timeout: { type: 'string', default: '300' },
  },
});
const COUNT = Number(opt.count);
const USERS = Math.min(Number(opt.users), COUNT);
const TIME_SCALE = Number(opt['time-scale']);
const CONCURRENCY = Number(opt.concurrency);
const POLL_MS = Number(opt['poll-ms']);
const TIMEOUT_MS = Number(opt.timeout) * 1000;
const PER_USER = Math.ceil(COUNT / USERS);
const PASSWORD = 'violet-Harbour-73-lantern';
const databaseUrl = opt['database-url'] ?? (process.env.TEST_DATABASE_URL || undefined);

const out = (s = '') => process.stdout.write(`${s}\n`);
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  out(`  ${ok ? 'ok  ' : 'FAIL'}  ${what}`);
  if (!ok) failures.push(what);
};

/** What main() opened, closed in reverse order however it ends. */
const cleanup: (() => Promise<unknown>)[] = [];

async function main() {
  const tasks = trackSimulatorTasks();
  cleanup.push(async () => tasks.restore());
  // Four times Proxmox's default node memory: room for every VM wherever placement puts it.
  const sim = await startSimulator({
    port: 0,
    nodes: ['pve1', 'pve2', 'pve3'].map((name) => ({ name, memoryGiB: 256 })),
    timeScale: TIME_SCALE,
    authFailureDelayMs: 0,
    seed: 7,
  });
  cleanup.push(() => sim.close());
  const { database, info } = await openBenchDatabase(databaseUrl, CONCURRENCY + 16);
  cleanup.push(() => info.drop().catch((e) => out(`could not drop the database: ${String(e)}`)));
  const config = benchConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    // Sign-ins are not what is measured: the cheapest hash the config allows.
    PASSWORD_HASH_MEMORY_KIB: '1024',
    PASSWORD_HASH_ITERATIONS: '1',
    RATE_LIMIT_ENABLED: 'false',
    VM_LIMIT_PER_USER: String(PER_USER),
    OPERATION_CONCURRENCY: String(CONCURRENCY),
    OPERATION_POLL_MS: String(POLL_MS),
    OPERATION_RETRY_BASE_MS: '50',
  });
  const logger = createLogger({ level: config.LOG_LEVEL });
  const infra = { config, database, redis: null, clock: { now: () => new Date() }, logger };
  const services = createServices(infra);
  cleanup.push(() => services.close());
  const app = await buildApp({ ...infra, services });
  cleanup.push(() => app.close());
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  await services.operations.start();

  const rollbacks = async () => {
    // Both drivers answer { rows }; the database type does not say so.
    const r = (await database.db.execute(
      sql`select xact_rollback as n from pg_stat_database where datname = current_database()`,
    )) as unknown as { rows: { n: string | number }[] };
    return Number(r.rows[0]?.n ?? 0);
  };

  const api = async (method: string, path: string, token: string | null, body?: unknown) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : null,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  out(`bench:vm-ops  ${new Date().toISOString()}`);
  out(`  machine   ${machineSummary()}`);
  out(`  load      ${loadSummary()}`);
  out(`  database  ${info.label}`);
  out(
    `  setup     ${COUNT} creates from ${USERS} users, simulator timeScale ${TIME_SCALE}, ` +
      `OPERATION_CONCURRENCY ${CONCURRENCY}, OPERATION_POLL_MS ${POLL_MS}; API, engine and simulator in one process`,
  );

  // An administrator adds the simulator as a server, as the admin UI does.
  const adminEmail = `admin-${randomUUID().slice(0, 8)}@example.org`;
  await services.users.createAccount(
    { email: adminEmail, displayName: 'Admin', password: PASSWORD, role: 'admin' },
    { ip: null, userAgent: 'bench', requestId: null },
  );
  const adminLogin = await api('POST', '/auth/login', null, { email: adminEmail, password: PASSWORD });
  // The simulator as a server, through the API, and a small free template on every node
  // (the templates API has its own tests; this is about VMs).
  const templateId = await addSimulatorAndTemplate(
    base,
    { userId: '', token: String(adminLogin.body.accessToken) },
    database.db,
    sim,
    { name: 'Debian bench', priceRunningPerHour: 0, priceStoppedPerHour: 0 },
  );

  const tokens: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const r = await api('POST', '/auth/register', null, {
      email: `user${i}-${randomUUID().slice(0, 6)}@example.org`,
      displayName: `User ${i}`,
      password: PASSWORD,
    });
    if (r.status !== 201) throw new Error(`register failed: ${r.status} ${JSON.stringify(r.body)}`);
    tokens.push(String(r.body.accessToken));
  }

  // All at once: every request is in flight before the first answer comes back.
  const rollbacksBefore = await rollbacks();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cpuBefore = process.cpuUsage();
  const startedAt = Date.now();
  // Where operations spend their time, by sampling their steps: no instrumentation of the engine.
  const stepMs = new Map<string, number>();
  let sampling = true;
  // How many operations were active, as seen by a query sent at `sentAt`.
  let last = { active: -1, sentAt: 0 };
  const sampler = (async () => {
    let at = performance.now();
    while (sampling) {
      await new Promise((r) => setTimeout(r, 100));
      const sentAt = performance.now();
      const rows = await database.db
        .select({ step: vmOperations.step, status: vmOperations.status, n: sql<number>`count(*)`.mapWith(Number) })
        .from(vmOperations)
        .where(inArray(vmOperations.status, ['queued', 'running']))
        .groupBy(vmOperations.step, vmOperations.status);
      const now = performance.now();
      for (const r of rows) {
        const key = r.status === 'queued' ? 'queued (waiting for a worker)' : r.step;
        stepMs.set(key, (stepMs.get(key) ?? 0) + r.n * (now - at));
      }
      last = { active: rows.reduce((n, r) => n + r.n, 0), sentAt };
      at = now;
    }
  })().catch(() => {
    last = { active: -1, sentAt: 0 };
  });
  const accepted = await Promise.all(
    Array.from({ length: COUNT }, async (_, i) => {
      const t = performance.now();
      const r = await api('POST', '/vms', tokens[i % USERS]!, { templateId, name: `bench-${i}` });
      return { ...r, ms: performance.now() - t };
    }),
  );
  const rejected = accepted.filter((r) => r.status !== 202);
  if (rejected.length) {
    throw new Error(
      `${rejected.length} creates were refused, e.g. ${rejected[0]!.status} ${JSON.stringify(rejected[0]!.body)}`,
    );
  }
  const vmIds = accepted.map((r) => String((r.body.vm as { id: string }).id));

  // Every operation is committed once its 202 is back: only a count asked for after that says "done".
  const allAccepted = performance.now();
  const deadline = Date.now() + TIMEOUT_MS;
  while (last.active !== 0 || last.sentAt < allAccepted) {
    if (Date.now() > deadline) {
      sampling = false;
      throw new Error(`${last.active} operations still active after ${opt.timeout} s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  sampling = false;
  await sampler;

  loop.disable();
  const cpu = process.cpuUsage(cpuBefore);
  const busyMs = Date.now() - startedAt;
  const rolledBack = (await rollbacks()) - rollbacksBefore;
  const rows = await database.db.select().from(vms).where(inArray(vms.id, vmIds));
  const ops = await database.db.select().from(vmOperations).where(inArray(vmOperations.vmId, vmIds));
  const simVms = sim.control.state().vms.filter((v) => !v.template);

  out('\nChecks');
  check(rows.length === COUNT && ops.length === COUNT, `${COUNT} VM records, one create operation each`);
  const succeeded = ops.filter((o) => o.status === 'succeeded').length;
  check(succeeded === COUNT, `every operation succeeded (${succeeded}/${COUNT})`);
  const running = rows.filter((r) => r.status === 'active' && r.powerState === 'running').length;
  check(running === COUNT, `every VM is active and running in the database (${running}/${COUNT})`);
  const vmids = rows.map((r) => r.vmid).filter((v): v is number => v !== null);
  check(new Set(vmids).size === COUNT, `${new Set(vmids).size} distinct VMIDs`);
  const simById = new Map(simVms.map((v) => [v.vmid, v]));
  const runningInSim = vmids.filter((v) => simById.get(v)?.status === 'running').length;
  check(runningInSim === COUNT, `every VM is running in the simulator (${runningInSim}/${COUNT})`);
  const ours = new Set(vmids);
  const orphans = simVms.filter((v) => !ours.has(v.vmid)).map((v) => v.vmid);
  check(orphans.length === 0, `no orphan VM in the simulator${orphans.length ? `: ${orphans.join(', ')}` : ''}`);
  const retried = ops.filter((o) => o.attempts > 1).length;
  out(`  note  ${retried} operation(s) needed more than one attempt`);

  // What each operation waited on in Proxmox: every task on its VMID (the clone names it in its log).
  type Ended = TaskSpan & { endedMs: number };
  const spans = tasks.spans().filter((s): s is Ended => s.endedMs !== null);
  const byVmid = new Map<number, Ended[]>();
  for (const s of spans) if (s.vmid !== null) byVmid.set(s.vmid, [...(byVmid.get(s.vmid) ?? []), s]);
  const unattributed = spans.filter((s) => s.vmid === null || !ours.has(s.vmid)).length;
  const vmidOf = new Map(rows.map((r) => [r.id, r.vmid]));
  const per = ops
    .filter((o) => o.finishedAt && o.startedAt)
    .map((o) => {
      const own = byVmid.get(vmidOf.get(o.vmId) ?? -1) ?? [];
      const taskMs = own.reduce((sum, s) => sum + (s.endedMs - s.startedMs), 0);
      const totalMs = o.finishedAt!.getTime() - o.createdAt.getTime();
      const queuedMs = o.startedAt!.getTime() - o.createdAt.getTime();
      return { totalMs, taskMs, queuedMs, overheadMs: totalMs - taskMs, tasks: own.length };
    });
  const wallMs = Math.max(...ops.map((o) => o.finishedAt?.getTime() ?? 0)) - startedAt;
  const byType = new Map<string, number[]>();
  for (const s of spans) byType.set(s.type, [...(byType.get(s.type) ?? []), s.endedMs - s.startedMs]);

  const col = (xs: number[]) => `p50 ${ms(median(xs))}, p95 ${ms(percentile(xs, 95))}, max ${ms(Math.max(...xs))}`;
  out('\nFigures');
  out(
    table([
      ['wall time (first request → last finished)', ms(wallMs)],
      ['creates per second', (COUNT / (wallMs / 1000)).toFixed(1)],
      ['POST /vms answered (202)', col(accepted.map((r) => r.ms))],
      ['per-op total (created → finished)', col(per.map((p) => p.totalMs))],
      ['per-op Proxmox task time', col(per.map((p) => p.taskMs))],
      ['per-op created → claimed (create tx + queue)', col(per.map((p) => p.queuedMs))],
      ['per-op in-flight overhead (claimed → finished − tasks)', col(per.map((p) => p.overheadMs - p.queuedMs))],
      ['PLATFORM OVERHEAD per op (total − tasks)', col(per.map((p) => p.overheadMs))],
      [
        'this process: event-loop delay',
        `p50 ${ms(loop.percentile(50) / 1e6)}, p99 ${ms(loop.percentile(99) / 1e6)}, max ${ms(loop.max / 1e6)}`,
      ],
      ['this process: CPU while busy', `${(((cpu.user + cpu.system) / 1000 / busyMs) * 100).toFixed(0)}% of one core`],
      // With everything in one process on a shared machine, the overhead is mostly waiting for this CPU.
      ['this process: CPU per create (API + engine + simulator)', ms((cpu.user + cpu.system) / 1000 / COUNT, 1)],
      [
        'database transactions rolled back',
        `${rolledBack} (PostgreSQL's count: mostly VMIDs lost to a parallel create and retried)`,
      ],
      ...[...stepMs]
        .sort((a, b) => b[1] - a[1])
        .map(([step, total]): [string, string] => [`mean time per op in step ${step}`, ms(total / COUNT)]),
      ['tasks per op', `p50 ${median(per.map((p) => p.tasks))}, max ${Math.max(...per.map((p) => p.tasks))}`],
      ...[...byType].map(([type, xs]): [string, string] => [`task ${type} (${xs.length})`, col(xs)]),
    ]),
  );
  if (unattributed) out(`  note  ${unattributed} finished task(s) could not be tied to one of these VMs`);
  reportChecks(failures, out);
}

runBenchmark('bench:vm-ops', main, cleanup);
