/**
 * bench:reconcile — one reconciliation cycle over many VMs on many Proxmox
 * servers (simulated), through the product's own reconciler: checks that
 * every record agrees with Proxmox afterwards, then prints the cycle's wall
 * time beside its target, and per server its time, SQL statements and HTTP
 * requests.
 *
 *   npm run bench:reconcile -- [--database-url URL] [--servers 10] [--vms-per-server 1000]
 *                              [--nodes 4] [--owners 500] [--seed 42] [--keep] [--cpu-prof FILE]
 *
 * Without --database-url (or TEST_DATABASE_URL) it runs on in-memory PGlite.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { and, eq, inArray } from 'drizzle-orm';
import { auditLog, vmRatePeriods, vms, vmSamples, vmStateHistory } from '../../apps/api/src/db/schema/index.js';
import { createLogger } from '../../apps/api/src/lib/logger.js';
import { createServices } from '../../apps/api/src/services.js';
import { recordStatements } from '../../apps/api/src/test/statements.js';
import { postgresCpuMs } from '../billing/measure.js';
import { benchConfig } from '../lib/config.js';
import { openBenchDatabase } from '../lib/database.js';
import { loadSummary, machineSummary } from '../lib/machine.js';
import { median, ms, table } from '../lib/stats.js';
import { recordRequests } from './http.js';
import { drifts, expected, plan } from './plan.js';
import { seedDatabase, startClusters } from './seed.js';
import { label, serverOf, units, type Unit } from './statements.js';
import { reportChecks, runBenchmark } from '../lib/run.js';

const { values: opt } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    servers: { type: 'string', default: '10' },
    'vms-per-server': { type: 'string', default: '1000' },
    nodes: { type: 'string', default: '4' },
    owners: { type: 'string', default: '500' },
    seed: { type: 'string', default: '42' },
    /** PostgreSQL: leave the database behind (its name is printed), to EXPLAIN statements on it. */
    keep: { type: 'boolean', default: false },
    /** A V8 CPU profile of the cycle alone, of this process (the reconciler, and PGlite if used). */
    'cpu-prof': { type: 'string' },
  },
});
const SERVERS = Number(opt.servers);
const PER_SERVER = Number(opt['vms-per-server']);
const NODES = Number(opt.nodes);
const OWNERS = Number(opt.owners);
const SEED = Number(opt.seed);
if (![SERVERS, PER_SERVER, NODES, OWNERS].every((x) => Number.isInteger(x) && x > 0) || !Number.isInteger(SEED))
  throw new Error('--servers, --vms-per-server, --nodes, --owners and --seed take positive integers');
const databaseUrl = opt['database-url'] ?? (process.env.TEST_DATABASE_URL || undefined);
const TARGET_MS = 2_000;

const out = (s = '') => process.stdout.write(`${s}\n`);
let lastProgress = performance.now();
/** Progress of the setup, on stderr: stdout keeps what is worth pasting. */
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
const n = (x: number) => x.toLocaleString('en-US');

/** The hourly rate the vms table derives (x1024), for the prices seed.ts gives every VM. */
function rateOf(status: string, power: string, cores: number): number {
  if (status !== 'active' && status !== 'deleting') return 0;
  return power === 'running' || power === 'paused' ? (200 + Math.max(cores - 1, 0) * 100) * 1024 : 20 * 1024;
}

/** CPU time of a local process, from /proc (null where there is none). */
function cpuOfPid(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}
const since = (before: number | null, after: number | null) =>
  before === null || after === null ? 'n/a' : ms(after - before);

const cleanup: (() => Promise<unknown>)[] = [];

async function main() {
  out(`bench:reconcile  ${new Date().toISOString()}`);
  out(`  machine   ${machineSummary()}`);
  out(`  load      ${loadSummary()}`);

  const planned = plan({ servers: SERVERS, perServer: PER_SERVER, nodes: NODES, seed: SEED });
  const sims = await startClusters({ plan: planned, servers: SERVERS, nodes: NODES, seed: SEED });
  cleanup.push(sims.close);
  const { clusters } = sims;
  progress(`${SERVERS} simulators started, ${n(planned.filter((v) => v.pve).length)} VMs in them`);

  const { database, info } = await openBenchDatabase(databaseUrl, 20);
  cleanup.push(async () => {
    if (opt.keep && info.url) {
      await database.close();
      out(`database kept: ${info.url}`);
    } else await info.drop().catch((e) => out(`could not drop the database: ${String(e)}`));
  });
  out(`  database  ${info.label}`);
  // The production level, into a sink that only counts: what reconciliation logs is part of its cost.
  let logLines = 0;
  const config = benchConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info' });
  const logger = createLogger({ level: config.LOG_LEVEL, destination: { write: () => void logLines++ } });
  let frozen: Date | null = null;
  // One instant for the whole cycle, so every timestamp it writes can be checked exactly.
  const clock = { now: () => frozen ?? new Date() };
  const services = createServices({ config, database, redis: null, clock, logger });
  cleanup.push(() => services.close());
  const { serverIds, vmIds } = await seedDatabase({
    db: database.db,
    services,
    clusters,
    plan: planned,
    owners: OWNERS,
    now: new Date(),
  });
  progress(`database seeded: ${SERVERS} servers, ${n(vmIds.size)} VM records, ${OWNERS} owners`);
  const count = (d: string) => planned.filter((v) => v.drift === d).length;
  out(
    `  setup     ${SERVERS} simulated servers × ${NODES} nodes, ${n(PER_SERVER)} VMs each in Proxmox, ` +
      `${n(vmIds.size)} VM records; reconciler${database.kind === 'pglite' ? ' and database' : ''} in this process, the simulators in another`,
  );
  out(
    `  drift     ${drifts
      .filter((d) => d !== 'steady')
      .map((d) => `${d} ${count(d)}`)
      .join(', ')} (over all servers)`,
  );
  // Persisted simulator state is saved 0.5 s after a change (vanishVm): not during the cycle.
  await new Promise((r) => setTimeout(r, 1_500));

  const statements = recordStatements(database);
  cleanup.push(async () => statements.restore());
  const http = recordRequests();
  cleanup.push(async () => http.close());
  const load = loadSummary();
  frozen = new Date();
  const pgBefore = database.kind === 'postgres' ? await postgresCpuMs(database.db) : null;
  const simBefore = cpuOfPid(sims.pid);
  const cpuBefore = process.cpuUsage();
  const logBefore = logLines;
  const profiler = opt['cpu-prof'] ? new Session() : null;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  statements.start();
  http.start();
  const t0 = performance.now();
  const summary = await services.reconciler.runCycle();
  const wallMs = performance.now() - t0;
  statements.stop();
  http.stop();
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(opt['cpu-prof']!, JSON.stringify(profile));
    profiler.disconnect();
  }
  const cpu = process.cpuUsage(cpuBefore);
  const simCpu = since(simBefore, cpuOfPid(sims.pid));
  const pgCpu = database.kind === 'postgres' ? since(pgBefore, await postgresCpuMs(database.db)) : null;
  const cycleLogLines = logLines - logBefore;
  const now = frozen;
  frozen = null;

  // Checks, before any figure.
  const listed = planned.filter((v) => v.db && v.pve);
  check(
    summary.servers === SERVERS && summary.failedServers === 0,
    `every server reconciled (${summary.servers}/${SERVERS}, ${summary.failedServers} failed)`,
  );
  check(summary.seen === listed.length, `every record Proxmox lists was seen (${n(summary.seen)}/${n(listed.length)})`);
  check(
    summary.lost === count('vanished') && summary.found === count('found'),
    `summary: ${summary.lost} lost (expected ${count('vanished')}), ${summary.found} found (expected ${count('found')})`,
  );

  const ids = [...vmIds.values()];
  const rows = new Map<string, typeof vms.$inferSelect>();
  for (let i = 0; i < ids.length; i += 2_000)
    for (const r of await database.db
      .select()
      .from(vms)
      .where(inArray(vms.id, ids.slice(i, i + 2_000))))
      rows.set(r.id, r);
  const simVms = (await Promise.all(clusters.map((c) => c.state()))).map((s) => new Map(s.vms.map((v) => [v.vmid, v])));

  let kept = 0;
  const wrong: string[] = [];
  const disagree: string[] = [];
  for (const vm of planned) {
    const id = vmIds.get(vm);
    if (!id) continue;
    const row = rows.get(id);
    if (!row) continue;
    kept++;
    const want = expected(vm)!;
    const got = {
      status: row.status,
      powerState: row.powerState,
      node: row.node,
      name: row.name,
      cores: row.cores,
      memoryMib: row.memoryMib,
    };
    if ((Object.keys(want) as (keyof typeof want)[]).some((k) => got[k] !== want[k]))
      wrong.push(`${vm.drift} VM ${vm.vmid} of server ${vm.server}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
    // And straight from the simulator, independent of the plan.
    const sim = simVms[vm.server]!.get(vm.vmid);
    if (vm.drift === 'busy') continue;
    const agrees = sim
      ? row.status === 'active' && row.powerState === sim.status && row.node === sim.node && row.name === sim.name
      : row.status === 'lost' && row.powerState === 'unknown';
    if (!agrees)
      disagree.push(
        `VM ${vm.vmid} of server ${vm.server}: record ${row.status}/${row.powerState} on ${row.node} as ${row.name}, ` +
          `Proxmox ${sim ? `${sim.status} on ${sim.node} as ${sim.name}` : 'none'}`,
      );
  }
  check(kept === vmIds.size, `no record deleted (${n(kept)}/${n(vmIds.size)})`);
  check(
    wrong.length === 0,
    `every record as the plan expects (status, power, node, name, size)${wrong.length ? `: ${wrong.length} wrong, e.g. ${wrong.slice(0, 3).join('; ')}` : ''}`,
  );
  check(
    disagree.length === 0,
    `every record agrees with its simulator (busy VMs aside)${disagree.length ? `: ${disagree.length} do not, e.g. ${disagree.slice(0, 3).join('; ')}` : ''}`,
  );
  const vanished = planned.filter((v) => v.drift === 'vanished').map((v) => rows.get(vmIds.get(v)!)!);
  check(
    vanished.every((r) => r.lostAt?.getTime() === now.getTime() && r.deletedAt === null),
    `${vanished.length} vanished VMs flagged lost at the cycle's instant, none deleted`,
  );
  const busy = planned.filter((v) => v.drift === 'busy').map((v) => rows.get(vmIds.get(v)!)!);
  check(
    busy.every((r) => r.lastSyncedAt?.getTime() === now.getTime()),
    `${busy.length} VMs with an active operation: usage recorded, their state left to it (checked above)`,
  );
  const unknown = planned.filter((v) => v.drift === 'unknown');
  const claimed = await database.db
    .select({ serverId: vms.serverId, vmid: vms.vmid })
    .from(vms)
    .where(inArray(vms.serverId, serverIds));
  const claimedKeys = new Set(claimed.map((c) => `${c.serverId}/${c.vmid}`));
  check(
    unknown.every((v) => !claimedKeys.has(`${serverIds[v.server]}/${v.vmid}`) && simVms[v.server]!.has(v.vmid)),
    `${unknown.length} VMs unknown to the platform: no record made, left alone in Proxmox`,
  );

  const changedState = planned.filter((v) => {
    const want = expected(v);
    return v.db && want && (want.status !== v.db.status || want.powerState !== v.db.powerState);
  });
  const history = await database.db
    .select()
    .from(vmStateHistory)
    .where(and(eq(vmStateHistory.source, 'reconcile'), inArray(vmStateHistory.vmId, ids)));
  const historyOk =
    history.length === changedState.length &&
    changedState.every((v) => {
      const h = history.filter((x) => x.vmId === vmIds.get(v));
      const want = expected(v)!;
      return (
        h.length === 1 &&
        h[0]!.status === want.status &&
        h[0]!.powerState === want.powerState &&
        h[0]!.at.getTime() === now.getTime()
      );
    });
  check(
    historyOk,
    `state history: one row per change of status or power (${n(history.length)} rows, ${n(changedState.length)} changes)`,
  );

  const audit = await database.db
    .select({ action: auditLog.action, targetId: auditLog.targetId })
    .from(auditLog)
    .where(inArray(auditLog.action, ['vm.lost', 'vm.found']));
  const idsOf = (drift: string) =>
    planned
      .filter((v) => v.drift === drift)
      .map((v) => vmIds.get(v)!)
      .sort();
  const auditIds = (action: string) =>
    audit
      .filter((a) => a.action === action)
      .map((a) => a.targetId!)
      .sort();
  check(
    JSON.stringify(auditIds('vm.lost')) === JSON.stringify(idsOf('vanished')) &&
      JSON.stringify(auditIds('vm.found')) === JSON.stringify(idsOf('found')),
    `audit: one vm.lost per vanished VM (${auditIds('vm.lost').length}), one vm.found per VM back (${auditIds('vm.found').length})`,
  );

  const samples = await database.db.select({ vmId: vmSamples.vmId }).from(vmSamples).where(eq(vmSamples.at, now));
  check(
    samples.length === listed.length && new Set(samples.map((s) => s.vmId)).size === listed.length,
    `one usage sample per VM listed (${n(samples.length)}/${n(listed.length)})`,
  );

  const rateChanged = planned.filter((v) => {
    const want = expected(v);
    return (
      v.db &&
      want &&
      rateOf(v.db.status, v.db.powerState, v.db.cores) !== rateOf(want.status, want.powerState, want.cores)
    );
  });
  const periods = await database.db
    .select({ vmId: vmRatePeriods.vmId })
    .from(vmRatePeriods)
    .where(eq(vmRatePeriods.startsAt, now));
  const periodIds = new Set(periods.map((p) => p.vmId));
  check(
    periods.length === rateChanged.length && rateChanged.every((v) => periodIds.has(vmIds.get(v)!)),
    `billing: one new rate period per VM whose rate changed (${n(periods.length)}/${n(rateChanged.length)})`,
  );

  out('\nChecks');
  for (const c of checks) out(c);

  // Figures.
  const all = units(statements.statements);
  const byServer = new Map<string | null, Unit[]>();
  for (const u of all) {
    const s = serverOf(u, serverIds);
    byServer.set(s, [...(byServer.get(s) ?? []), u]);
  }
  const originOf = new Map(clusters.map((c, i) => [new URL(c.url).origin, serverIds[i]!]));
  const per = serverIds.map((id, i) => {
    const us = byServer.get(id) ?? [];
    const st = us.flatMap((u) => u.statements);
    const reqs = http.requests.filter((r) => originOf.get(r.origin) === id);
    const resources = reqs.find((r) => r.path.startsWith('/api2/json/cluster/resources'));
    const start = Math.min(...st.map((s) => s.startMs), ...reqs.map((r) => r.startMs));
    const end = Math.max(...st.map((s) => s.endMs), ...reqs.map((r) => r.endMs ?? r.startMs));
    return {
      name: `server ${i}`,
      statements: st.map((s) => ({ label: label(s.sql), ms: s.endMs - s.startMs })),
      transactions: us.filter((u) => u.transaction).length,
      dbMs: st.reduce((sum, s) => sum + s.endMs - s.startMs, 0),
      requests: reqs.length,
      resourcesMs: resources?.endMs ? resources.endMs - resources.startMs : Number.NaN,
      spanMs: end - start,
    };
  });
  const cycleWide = (byServer.get(null) ?? []).flatMap((u) => u.statements);
  const unattributedRequests = http.requests.filter((r) => !originOf.has(r.origin));
  const perStatements = per.map((p) => p.statements.length);

  out('\nFigures');
  out(
    table([
      ['load before the cycle', load],
      [
        'CYCLE wall time (runCycle)',
        `${ms(wallMs)}  (target ≤ ${ms(TARGET_MS)}: ${wallMs <= TARGET_MS ? 'PASS' : 'MISS'})`,
      ],
      [
        'CPU during the cycle',
        `this process ${ms((cpu.user + cpu.system) / 1000)}${database.kind === 'pglite' ? ' (PGlite included)' : `, PostgreSQL backends ${pgCpu}`}, ` +
          `simulators' process ${simCpu}`,
      ],
      [
        'SQL statements',
        `${n(statements.statements.length)} in all: ${n(cycleWide.length)} for the cycle, ` +
          `per server min ${Math.min(...perStatements)}, median ${median(perStatements)}, max ${Math.max(...perStatements)}`,
      ],
      [
        'HTTP requests to Proxmox',
        `${n(http.requests.length)} in all, per server ${per.map((p) => p.requests).join(', ')}` +
          (unattributedRequests.length ? ` (${unattributedRequests.length} to no simulator)` : ''),
      ],
      ['log lines written (level info)', n(cycleLogLines)],
    ]),
  );
  out('\nPer server (all reconciled concurrently; time = its first statement or request → its last)');
  const pad = (s: string | number, w: number) => String(s).padStart(w);
  out(
    `  ${'server'.padEnd(10)} ${pad('time', 9)} ${pad('statements', 10)} ${pad('tx', 3)} ${pad('in SQL', 9)} ${pad('requests', 8)} ${pad('/cluster/resources', 18)}`,
  );
  for (const p of per)
    out(
      `  ${p.name.padEnd(10)} ${pad(ms(p.spanMs), 9)} ${pad(p.statements.length, 10)} ${pad(p.transactions, 3)} ${pad(ms(p.dbMs), 9)} ${pad(p.requests, 8)} ${pad(ms(p.resourcesMs), 18)}`,
    );
  const kinds = new Map<string, { count: number; ms: number }>();
  for (const st of per.flatMap((p) => p.statements)) {
    const k = kinds.get(st.label) ?? { count: 0, ms: 0 };
    kinds.set(st.label, { count: k.count + 1, ms: k.ms + st.ms });
  }
  out(`\nStatements per server, by kind (mean over the ${SERVERS} servers)`);
  out(
    table(
      [...kinds].map(([k, v]): [string, string] => [
        k,
        `${(v.count / SERVERS).toFixed(1).replace(/\.0$/, '').padStart(5)} × ${ms(v.ms / SERVERS, 1).padStart(9)} in all`,
      ]),
    ),
  );
  if (cycleWide.length) {
    out('\nStatements of the cycle itself (no one server)');
    out(table(cycleWide.map((s): [string, string] => [label(s.sql), ms(s.endMs - s.startMs, 1)])));
  }

  reportChecks(failures, out);
}

runBenchmark('bench:reconcile', main, cleanup);
