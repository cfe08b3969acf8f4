import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningSimulator } from '@uni-manager/pve-sim';
import { eq, notInArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { vmOperations, vms } from '../../db/schema/index.js';
import {
  auth,
  buildTestApp,
  createAdmin,
  createTestDatabase,
  createTestRedis,
  env,
  testConfig,
  type Client,
  type TestApp,
  type TestDatabase,
} from '../../test/harness.js';
import { addSimulatorServer, fastSimulator, seedTemplate } from '../../test/vm-fixtures.js';

/**
 * The real thing: `uni-manager worker` as its own process, fed by BullMQ,
 * killed with SIGKILL in the middle of a clone, and a second one started.
 */
const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../main.ts');

let sim: RunningSimulator;
let tdb: TestDatabase;
let t: TestApp;
let admin: Client;
let templateId: string;
let prefix: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  sim = await fastSimulator({ timeScale: 0.6, seed: 31 });
  tdb = await createTestDatabase();
  const redis = await createTestRedis();
  if (!redis || !env.databaseUrl) throw new Error('this test needs TEST_DATABASE_URL and TEST_REDIS_URL');
  prefix = redis.prefix;
  // The API instance only produces: nothing in this process consumes operations.
  t = await buildTestApp({ database: tdb.database, redis, env: { REDIS_URL: env.redisUrl! } });
  admin = await createAdmin(t);
  const serverId = await addSimulatorServer(t, admin, sim);
  templateId = await seedTemplate(t, [{ serverId, node: 'pve1', vmid: 9000 }]);
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await t?.close();
  await tdb?.drop();
  await sim?.close();
});

function startWorker(name: string): { child: ChildProcess; output: () => string } {
  const config = testConfig();
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'worker'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      DATABASE_URL: tdb.url!,
      REDIS_URL: env.redisUrl!,
      REDIS_KEY_PREFIX: prefix,
      JWT_SECRET: config.jwtSecret,
      ENCRYPTION_KEY: 'ab'.repeat(32),
      DATA_DIR: '/nonexistent-test-data',
      LOG_LEVEL: 'info',
      OPERATION_LEASE: '10s',
      OPERATION_SWEEP_INTERVAL: '5s',
      OPERATION_POLL_MS: '100',
      MONITOR_INTERVAL: '1h',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  children.push(child);
  void name;
  return { child, output: () => out };
}

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms: number,
  log?: () => string,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${log?.() ?? ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const opOf = async (id: string) =>
  (await tdb.database.db.select().from(vmOperations).where(eq(vmOperations.id, id)))[0]!;

it('a worker process killed mid-clone loses nothing: a new worker finishes, no orphan VM', async () => {
  const first = startWorker('first');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/vms',
    headers: auth(admin),
    payload: { templateId, name: 'survivor' },
  });
  expect(res.statusCode, res.body).toBe(202);
  const opId: string = res.json().operation.id;

  const caught = await waitFor(
    'the clone to start',
    async () => {
      const op = await opOf(opId);
      return op.step === 'cloning' && op.upid ? op : null;
    },
    30_000,
    first.output,
  );
  first.child.kill('SIGKILL');
  await new Promise((r) => first.child.once('exit', r));
  expect(caught.status).toBe('running');
  expect(caught.leaseOwner).toBeTruthy();

  const second = startWorker('second');
  const done = await waitFor(
    'the second worker to finish it',
    async () => {
      const op = await opOf(opId);
      return op.status === 'succeeded' || op.status === 'failed' ? op : null;
    },
    45_000,
    second.output,
  );
  expect(done.status, second.output()).toBe('succeeded');
  expect(done.leaseOwner).toBeNull();
  expect(done.attempts).toBe(2);
  const [vm] = await tdb.database.db.select().from(vms).where(eq(vms.id, res.json().vm.id));
  expect(vm).toMatchObject({ status: 'active', powerState: 'running' });

  const inSim = sim.control
    .state()
    .vms.filter((v) => !v.template)
    .map((v) => v.vmid);
  const live = await tdb.database.db
    .select({ vmid: vms.vmid })
    .from(vms)
    .where(notInArray(vms.status, ['deleted', 'failed']));
  expect(live.map((r) => r.vmid)).toEqual(inSim);
  expect(second.output()).toContain('sweeper re-delivered operations');
  second.child.kill('SIGTERM');
  await new Promise((r) => second.child.once('exit', r));
}, 120_000);
