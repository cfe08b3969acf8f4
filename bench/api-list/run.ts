/**
 * bench:api-list — `GET /api/v1/vms` (a page of 50, signed in) on PostgreSQL
 * under 64 connections, beside a bare Fastify route answering the same JSON
 * in the same run; prints throughput, latency and the ratio ours/bare.
 *
 *   npm run bench:api-list -- [--database-url URL] [--connections 64] [--duration 10]
 *                             [--warmup 3] [--rounds 1] [--vms 60] [--cpu-prof DIR]
 *
 * The database URL (default TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test)
 * names a server and a database to connect to; the benchmark creates a fresh
 * database beside it and drops it at the end.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import pg from 'pg';
import {
  operationKinds,
  type OperationKind,
  type OperationStatus,
  type PowerState,
  type VmStatus,
} from '@uni-manager/contracts';
import { vmPageSchema } from '@uni-manager/contracts';
import { openPostgres } from '../../apps/api/src/db/client.js';
import { createLogger } from '../../apps/api/src/lib/logger.js';
import { createServices } from '../../apps/api/src/services.js';
import { benchConfig } from '../lib/config.js';
import { serverEnv } from './server-env.js';
import { servers, templates, users, vmOperations, vms } from '../../apps/api/src/db/schema/index.js';
import { createPostgresDatabase, DEFAULT_DATABASE_URL } from '../lib/database.js';
import { loadSummary, machineSummary } from '../lib/machine.js';
import { table } from '../lib/stats.js';

const { values: opt } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    connections: { type: 'string', default: '64' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '1' },
    vms: { type: 'string', default: '60' },
    'page-size': { type: 'string', default: '50' },
    'cpu-prof': { type: 'string' },
    /** Leave the seeded database behind, to EXPLAIN its queries afterwards. */
    'keep-database': { type: 'boolean', default: false },
  },
});
const CONNECTIONS = Number(opt.connections);
const DURATION = Number(opt.duration);
const WARMUP = Number(opt.warmup);
const ROUNDS = Number(opt.rounds);
const OWN_VMS = Number(opt.vms);
const PAGE_SIZE = Number(opt['page-size']);
const TARGET = 0.4;
const PASSWORD = 'violet-Harbour-73-lantern';
const baseUrl = opt['database-url'] ?? (process.env.TEST_DATABASE_URL || DEFAULT_DATABASE_URL);

const out = (s = '') => process.stdout.write(`${s}\n`);

interface Server {
  name: string;
  url: string;
  child: ChildProcess;
  cpuMs(): Promise<number>;
  close(): Promise<void>;
}

async function startServer(mode: 'ours' | 'bare', env: Record<string, string>, body?: unknown): Promise<Server> {
  const execArgv = ['--import', 'tsx'];
  if (opt['cpu-prof'] && mode === 'ours') execArgv.push('--cpu-prof', `--cpu-prof-dir=${opt['cpu-prof']}`);
  const child = fork(new URL('./server.ts', import.meta.url).pathname, [mode], {
    execArgv,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (type: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const on = (m: Record<string, unknown>) => {
        if (m.type !== type) return;
        child.off('message', on);
        child.off('exit', bail);
        resolve(m);
      };
      const bail = (code: number | null) => reject(new Error(`the ${mode} server exited (${code})`));
      child.on('message', on);
      child.once('exit', bail);
    });
  const listening = next('listening');
  if (body !== undefined) child.send({ type: 'body', body });
  const { port } = await listening;
  return {
    name: mode,
    url: `http://127.0.0.1:${port as number}`,
    child,
    async cpuMs() {
      const reply = next('cpu');
      child.send({ type: 'cpu' });
      const { usage } = (await reply) as { usage: NodeJS.CpuUsage };
      return (usage.user + usage.system) / 1000;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ type: 'close' });
      await exited;
    },
  };
}

/** Users, a server, templates, and VMs with a history of operations, as months of use leave them. */
async function seed(url: string, measuredUserId: string) {
  const database = openPostgres(url, { poolMax: 4 });
  const { db } = database;
  const now = Date.now();
  const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000);
  try {
    const serverIds = [randomUUID(), randomUUID()];
    await db.insert(servers).values(
      serverIds.map((id, i) => ({
        id,
        name: `pve-${i + 1}`,
        url: `https://pve-${i + 1}.example.org:8006`,
        tokenId: 'root@pam!uni-manager',
        // Never opened: this benchmark calls no Proxmox.
        tokenSecretSealed: 'unused',
        health: 'healthy' as const,
      })),
    );
    const templateIds = ['Debian 12', 'Ubuntu 24.04', 'AlmaLinux 9'].map(() => randomUUID());
    await db.insert(templates).values(
      templateIds.map((id, i) => ({
        id,
        name: ['Debian 12', 'Ubuntu 24.04', 'AlmaLinux 9'][i]!,
        osLabel: ['Debian 12', 'Ubuntu 24.04', 'AlmaLinux 9'][i]!,
        osIcon: (['debian', 'ubuntu', 'alma'] as const)[i]!,
        cores: 2,
        memoryMib: 2048,
        diskGib: 10,
        minCores: 1,
        maxCores: 8,
        minMemoryMib: 512,
        maxMemoryMib: 16384,
        maxDiskGib: 200,
        cloudInit: i < 2,
        priceRunningPerHour: 500,
        priceStoppedPerHour: 100,
      })),
    );
    const others = Array.from({ length: 20 }, (_, i) => ({
      id: randomUUID(),
      email: `other-${i}-${randomUUID().slice(0, 6)}@example.org`,
      displayName: `Other ${i}`,
      passwordHash: 'not-a-hash: these users never sign in',
    }));
    await db.insert(users).values(others);

    const owners = [
      ...Array.from({ length: OWN_VMS }, () => measuredUserId),
      ...others.flatMap((u) => Array.from({ length: 10 }, () => u.id)),
    ];
    const vmRows: (typeof vms.$inferInsert)[] = [];
    const opRows: (typeof vmOperations.$inferInsert)[] = [];
    const actionKinds = operationKinds.filter((k) => k !== 'create' && k !== 'delete');
    owners.forEach((ownerId, i) => {
      const id = randomUUID();
      const created = at(60 * 24 * 30 - i * 7);
      const running = i % 3 !== 0;
      const status: VmStatus = i % 29 === 5 ? 'failed' : 'active';
      const powerState: PowerState = status === 'failed' ? 'unknown' : running ? 'running' : 'stopped';
      vmRows.push({
        id,
        ownerId,
        templateId: templateIds[i % 3]!,
        serverId: serverIds[i % 2]!,
        node: `pve${(i % 3) + 1}`,
        vmid: 100 + i,
        name: `vm-${String(i).padStart(3, '0')}`,
        cores: 2,
        memoryMib: 2048,
        diskGib: 10,
        status,
        powerState,
        priceRunningPerHour: 500,
        priceStoppedPerHour: 100,
        cpu: running ? 0.07 : 0,
        memUsedBytes: running ? 900 * 1024 * 1024 : 0,
        memTotalBytes: 2048 * 1024 * 1024,
        uptimeSeconds: running ? 86_400 : 0,
        addresses: running ? [`10.20.${i >> 8}.${i & 255}`] : [],
        lastSyncedAt: at(1),
        failureMessage: status === 'failed' ? 'Proxmox refused the clone' : null,
        createdAt: created,
        updatedAt: at(5),
      });
      // A create, then a few actions; one VM in ten has one still in progress.
      const history: { kind: OperationKind; status: OperationStatus }[] = [
        { kind: 'create', status: status === 'failed' ? 'failed' : 'succeeded' },
        ...Array.from({ length: status === 'failed' ? 0 : 2 + (i % 5) }, (_, k) => ({
          kind: actionKinds[(i + k) % actionKinds.length]!,
          status: (k % 7 === 3 ? 'failed' : 'succeeded') as OperationStatus,
        })),
      ];
      if (i % 10 === 4 && status !== 'failed') history.push({ kind: 'reboot', status: 'queued' });
      history.forEach((h, k) => {
        const started = new Date(created.getTime() + k * 3_600_000);
        const done = h.status === 'succeeded' || h.status === 'failed';
        opRows.push({
          id: randomUUID(),
          vmId: id,
          actorId: ownerId,
          kind: h.kind,
          params: h.kind === 'create' ? { templateId: templateIds[i % 3], cores: 2, memoryMib: 2048, diskGib: 10 } : {},
          status: h.status,
          step: done ? (h.status === 'succeeded' ? 'done' : 'starting') : 'queued',
          attempts: done ? 1 : 0,
          errorCode: h.status === 'failed' ? 'PROXMOX_UNAVAILABLE' : null,
          errorMessage: h.status === 'failed' ? 'start failed: exit code 1' : null,
          createdAt: started,
          startedAt: done ? started : null,
          finishedAt: done ? new Date(started.getTime() + 9_000) : null,
          updatedAt: done ? new Date(started.getTime() + 9_000) : started,
        });
      });
    });
    for (let i = 0; i < vmRows.length; i += 500) await db.insert(vms).values(vmRows.slice(i, i + 500));
    for (let i = 0; i < opRows.length; i += 500) await db.insert(vmOperations).values(opRows.slice(i, i + 500));
    return { vms: vmRows.length, operations: opRows.length, users: others.length + 1 };
  } finally {
    await database.close();
  }
}

/**
 * CPU time of the PostgreSQL backends serving one database, from /proc: on one
 * machine the database's CPU is part of what a request costs. Null where the
 * server is not local (or not Linux).
 */
function postgresCpu(monitor: pg.Client, database: string) {
  const ticksMs = 10; // USER_HZ is 100 on Linux
  return async (): Promise<number | null> => {
    const { rows } = await monitor.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [
      database,
    ]);
    let total = 0;
    try {
      for (const { pid } of rows) {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        total += (Number(fields[11]) + Number(fields[12])) * ticksMs;
      }
    } catch {
      return null;
    }
    return total;
  };
}

async function load(
  server: Server,
  path: string,
  headers: Record<string, string>,
  seconds: number,
  dbCpu: () => Promise<number | null>,
) {
  const cpuBefore = await server.cpuMs();
  const dbBefore = await dbCpu();
  const result: Result = await autocannon({
    url: `${server.url}${path}`,
    connections: CONNECTIONS,
    duration: seconds,
    headers,
  });
  const cpuMs = (await server.cpuMs()) - cpuBefore;
  const dbAfter = await dbCpu();
  return { result, cpuMs, dbCpuMs: dbBefore === null || dbAfter === null ? null : dbAfter - dbBefore };
}

/**
 * What one request costs, part by part, measured one call at a time in this
 * process on one database connection: steadier than the load figures on a
 * busy machine, and it says where the time goes.
 */
async function breakdown(url: string, token: string, dbCpu: () => Promise<number | null>) {
  const N = 300;
  const config = benchConfig(serverEnv(url));
  const database = openPostgres(url, { poolMax: 1 });
  const infra = {
    config,
    database,
    redis: null,
    clock: { now: () => new Date() },
    logger: createLogger({ level: 'warn' }),
  };
  const services = createServices(infra);
  try {
    const actor = await services.auth.authenticate(token);
    const q = { page: 1, pageSize: PAGE_SIZE, sort: 'createdAt' as const, order: 'desc' as const };
    const page = await services.vms.listOwn(actor, q);
    const rows: [string, string][] = [];
    const time = async (name: string, fn: () => unknown) => {
      for (let i = 0; i < 20; i++) await fn();
      const db0 = await dbCpu();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      for (let i = 0; i < N; i++) await fn();
      const wall = ((performance.now() - t0) * 1000) / N;
      const cpu = process.cpuUsage(cpu0);
      const db1 = await dbCpu();
      const dbUs = db0 === null || db1 === null ? null : ((db1 - db0) * 1000) / N;
      rows.push([
        name,
        `${wall.toFixed(0)} µs elapsed, API CPU ${((cpu.user + cpu.system) / N).toFixed(0)} µs` +
          (dbUs === null || dbUs === 0 ? '' : `, PostgreSQL CPU ${dbUs.toFixed(0)} µs`),
      ]);
    };
    await time('authenticate (JWT + session lookup)', () => services.auth.authenticate(token));
    await time(`list a page of ${PAGE_SIZE} (vms.listOwn)`, () => services.vms.listOwn(actor, q));
    await time('check + encode the response (zod)', () => vmPageSchema.safeEncode(page));
    await time('JSON.stringify the response', () => JSON.stringify(page));
    return rows;
  } finally {
    await services.close();
    await database.close();
  }
}

async function main() {
  const db = await createPostgresDatabase(baseUrl);
  const servers: Server[] = [];
  const monitor = new pg.Client({ connectionString: baseUrl });
  const dbCpu = postgresCpu(monitor, new URL(db.url!).pathname.slice(1));
  try {
    await monitor.connect();
    out(`bench:api-list  ${new Date().toISOString()}`);
    out(`  machine   ${machineSummary()}`);
    out(`  load      ${loadSummary()}`);
    out(`  database  ${db.label}`);

    // The measured API and this process's breakdown share the secrets (see server-env.ts).
    process.env.BENCH_JWT_SECRET = randomBytes(48).toString('base64url');
    process.env.BENCH_ENCRYPTION_KEY = randomBytes(32).toString('hex');
    const ours = await startServer('ours', { BENCH_DATABASE_URL: db.url! });
    servers.push(ours);
    const api = (path: string, init: RequestInit = {}) => fetch(`${ours.url}/api/v1${path}`, init);
    const json = { 'content-type': 'application/json' };
    const email = `measured-${randomUUID().slice(0, 8)}@example.org`;
    const reg = await api('/auth/register', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email, displayName: 'Measured User', password: PASSWORD }),
    });
    if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${await reg.text()}`);
    const userId = ((await reg.json()) as { user: { id: string } }).user.id;
    const seeded = await seed(db.url!, userId);
    const login = await api('/auth/login', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const headers = { authorization: `Bearer ${token}` };
    const path = `/api/v1/vms?pageSize=${PAGE_SIZE}`;

    const first = await fetch(`${ours.url}${path}`, { headers });
    const text = await first.text();
    const page = JSON.parse(text) as { items: unknown[]; total: number };
    if (first.status !== 200 || page.items.length !== Math.min(PAGE_SIZE, OWN_VMS) || page.total !== OWN_VMS) {
      throw new Error(`unexpected first page: ${first.status} ${text.slice(0, 300)}`);
    }
    const bare = await startServer('bare', {}, page);
    servers.push(bare);
    const bareText = await (await fetch(`${bare.url}${path}`)).text();

    out(
      `  data      ${seeded.users} users, ${seeded.vms} VMs (${OWN_VMS} of them the measured user's), ` +
        `${seeded.operations} operations`,
    );
    out(
      `  request   GET ${path} signed in; ${Buffer.byteLength(text)} bytes from ours, ` +
        `${Buffer.byteLength(bareText)} from bare`,
    );
    out(
      `  load      autocannon, ${CONNECTIONS} connections, ${WARMUP} s warm-up then ${DURATION} s measured per server, ` +
        `${ROUNDS} round(s); each server in its own process, the load generator in this one`,
    );

    for (const s of [ours, bare]) await load(s, path, headers, WARMUP, dbCpu);
    type Figures = { rps: number[]; p50: number[]; p99: number[]; cpuPerReq: number[]; dbCpuPerReq: number[] };
    const measured: Record<'ours' | 'bare', Figures> = {
      ours: { rps: [], p50: [], p99: [], cpuPerReq: [], dbCpuPerReq: [] },
      bare: { rps: [], p50: [], p99: [], cpuPerReq: [], dbCpuPerReq: [] },
    };
    let failed = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of [ours, bare]) {
        const { result: r, cpuMs, dbCpuMs } = await load(s, path, headers, DURATION, dbCpu);
        failed += r.non2xx + r.errors + r.timeouts;
        const m = measured[s.name as 'ours' | 'bare'];
        m.rps.push(r.requests.average);
        m.p50.push(r.latency.p50);
        m.p99.push(r.latency.p99);
        m.cpuPerReq.push(r.requests.total ? (cpuMs * 1000) / r.requests.total : Number.NaN);
        m.dbCpuPerReq.push(dbCpuMs !== null && r.requests.total ? (dbCpuMs * 1000) / r.requests.total : Number.NaN);
        out(
          `  round ${round + 1} ${s.name.padEnd(4)}  ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, ` +
            `p99 ${r.latency.p99} ms, ${r.requests.total} requests, ${r.non2xx} non-2xx, ${r.errors} errors, ` +
            `server CPU ${((cpuMs / (r.duration * 1000)) * 100).toFixed(0)}% of a core`,
        );
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const o = measured.ours;
    const b = measured.bare;
    const ratio = mean(o.rps) / mean(b.rps);
    out('\nFigures' + (ROUNDS > 1 ? ` (mean of ${ROUNDS} rounds)` : ''));
    out(
      table([
        [
          'ours: GET /api/v1/vms',
          `${mean(o.rps).toFixed(0)} req/s, p50 ${mean(o.p50).toFixed(0)} ms, p99 ${mean(o.p99).toFixed(0)} ms`,
        ],
        [
          'bare Fastify, same JSON',
          `${mean(b.rps).toFixed(0)} req/s, p50 ${mean(b.p50).toFixed(0)} ms, p99 ${mean(b.p99).toFixed(0)} ms`,
        ],
        ['server CPU per request', `ours ${mean(o.cpuPerReq).toFixed(0)} µs, bare ${mean(b.cpuPerReq).toFixed(0)} µs`],
        [
          'PostgreSQL CPU per request (ours)',
          Number.isFinite(mean(o.dbCpuPerReq)) ? `${mean(o.dbCpuPerReq).toFixed(0)} µs` : 'n/a (not a local server)',
        ],
        [
          'RATIO ours/bare (throughput)',
          `${ratio.toFixed(2)} (target ≥ ${TARGET}: ${ratio >= TARGET ? 'met' : 'NOT met'})`,
        ],
      ]),
    );
    out('\nOne request, part by part (one call at a time in this process, the servers idle)');
    out(table(await breakdown(db.url!, token, dbCpu)));
    out(`  load      ${loadSummary()}`);
    if (failed) {
      out(`\n${failed} request(s) failed: the figures are not valid`);
      process.exitCode = 1;
    }
  } finally {
    for (const s of servers) await s.close().catch(() => {});
    await monitor.end().catch(() => {});
    if (opt['keep-database']) out(`  kept      ${db.url}`);
    else await db.drop().catch((e) => out(`could not drop the database: ${String(e)}`));
  }
}

main().catch((e) => {
  process.stderr.write(`bench:api-list failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
