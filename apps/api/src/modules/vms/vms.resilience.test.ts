import type { RunningSimulator } from '@uni-manager/pve-sim';
import { eq, inArray, notInArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vmOperations, vms } from '../../db/schema/index.js';
import { createMemoryOperationQueue } from '../../jobs/operation-queue.js';
import { createSecretBox } from '../../lib/crypto/secret-box.js';
import { createLogger } from '../../lib/logger.js';
import {
  auth,
  buildTestApp,
  createAdmin,
  createTestDatabase,
  register,
  type Client,
  type TestApp,
  type TestDatabase,
} from '../../test/harness.js';
import {
  FAST_OPERATIONS,
  addSimulatorServer,
  fastSimulator,
  getVm,
  seedTemplate,
  settle,
} from '../../test/vm-fixtures.js';
import { createOperationEngine } from './operations/engine.js';

/**
 * What must survive: a worker dying mid-operation, a node going away during
 * placement, many creates at once. Each test compares our database with what
 * the simulator actually holds.
 */
let sim: RunningSimulator;
let tdb: TestDatabase;
let t: TestApp;
let admin: Client;
let serverId: string;
let templateId: string;

beforeAll(async () => {
  // Slow enough that a clone can be caught in the act, fast enough for a test.
  sim = await fastSimulator({ timeScale: 0.3, seed: 5 });
  tdb = await createTestDatabase();
  t = await buildTestApp({ database: tdb.database, env: { ...FAST_OPERATIONS } });
  admin = await createAdmin(t);
  serverId = await addSimulatorServer(t, admin, sim);
  templateId = await seedTemplate(t, [
    { serverId, node: 'pve1', vmid: 9000 },
    { serverId, node: 'pve2', vmid: 9100 },
  ]);
});
afterAll(async () => {
  await t?.close();
  await tdb?.drop();
  await sim?.close();
});

/** Every VM in the simulator that is not a template has a live record, and every live record a VM. */
async function expectNoOrphans() {
  const inSim = sim.control
    .state()
    .vms.filter((v) => !v.template)
    .map((v) => v.vmid)
    .sort();
  const live = await tdb.database.db
    .select({ vmid: vms.vmid })
    .from(vms)
    .where(notInArray(vms.status, ['deleted', 'failed']));
  expect(live.map((r) => r.vmid).sort()).toEqual(inSim);
}

function engine(workerId: string) {
  return createOperationEngine({
    db: tdb.database.db,
    clock: { now: () => new Date() },
    logger: createLogger({ level: 'silent' }),
    servers: t.services.servers,
    secrets: createSecretBox(t.config.encryptionKey, t.config.previousEncryptionKeys),
    queue: createMemoryOperationQueue(createLogger({ level: 'silent' })),
    workerId,
    settings: {
      leaseMs: 800,
      maxAttempts: 4,
      taskTimeoutMs: 30_000,
      shutdownTimeoutSeconds: 30,
      concurrency: 4,
      pollMs: 40,
      retryBaseMs: 50,
    },
  });
}

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const opOf = async (id: string) =>
  (await tdb.database.db.select().from(vmOperations).where(eq(vmOperations.id, id)))[0]!;

describe('a worker killed in the middle of an operation', () => {
  for (const step of ['cloning', 'starting'] as const) {
    it(`while ${step}: another worker takes over and finishes, leaving no orphan`, async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/vms',
        headers: auth(admin),
        payload: { templateId, name: `crash-${step}` },
      });
      expect(res.statusCode, res.body).toBe(202);
      const opId: string = res.json().operation.id;

      const a = engine('worker-a');
      void a.process(opId);
      const caught = await waitFor(`step ${step}`, async () => {
        const op = await opOf(opId);
        return op.step === step && op.upid ? op : null;
      });
      await a.kill();
      expect(caught).toMatchObject({ status: 'running', leaseOwner: 'worker-a' });
      // The task goes on in Proxmox without anyone watching.
      expect((await opOf(opId)).status).toBe('running');

      const b = engine('worker-b');
      await waitFor('the lease to run out', async () => (await opOf(opId)).leaseUntil! < new Date());
      await b.start();
      const done = await waitFor('the operation to finish', async () => {
        await b.sweep();
        const op = await opOf(opId);
        return op.status === 'succeeded' || op.status === 'failed' ? op : null;
      });
      await b.stop();
      expect(done).toMatchObject({ status: 'succeeded', leaseOwner: null, attempts: 2 });
      const vm = await getVm(t, admin, res.json().vm.id);
      expect(vm).toMatchObject({ status: 'active', powerState: 'running' });
      await expectNoOrphans();
    });
  }

  it('a graceful stop hands the operation over at once', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/vms',
      headers: auth(admin),
      payload: { templateId, name: 'handover' },
    });
    const opId: string = res.json().operation.id;
    const a = engine('worker-c');
    void a.process(opId);
    await waitFor('cloning', async () => (await opOf(opId)).step === 'cloning');
    await a.stop();
    // No waiting for a lease: stop() released it.
    const b = engine('worker-d');
    await b.process(opId);
    expect(await opOf(opId)).toMatchObject({ status: 'succeeded' });
    await b.stop();
    await expectNoOrphans();
  });
});

describe('placement', () => {
  it('falls back to the other node when the best one is offline', async () => {
    await t.services.operations.start();
    sim.control.setNodeOffline('pve1', 'refuse');
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/vms',
        headers: auth(admin),
        payload: { templateId, name: 'fallback' },
      });
      expect(res.statusCode, res.body).toBe(202);
      const { vm } = await settle(t, admin, res.json().vm.id);
      expect(vm).toMatchObject({ status: 'active', node: 'pve2' });
    } finally {
      sim.control.setNodeOnline('pve1');
    }
    await expectNoOrphans();
  });

  it('fails clearly when the only node that has the template is offline', async () => {
    const only = await seedTemplate(t, [{ serverId, node: 'pve1', vmid: 9001 }]);
    sim.control.setNodeOffline('pve1', 'refuse');
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/vms',
        headers: auth(admin),
        payload: { templateId: only, name: 'nowhere' },
      });
      expect(res.statusCode, res.body).toBe(202);
      const { vm } = await settle(t, admin, res.json().vm.id);
      expect(vm.status).toBe('failed');
      expect(vm.lastOperation?.error).toMatchObject({ code: 'NO_CAPACITY' });
      expect(vm.failureMessage).toMatch(/No server that has this template/);
    } finally {
      sim.control.setNodeOnline('pve1');
    }
    await expectNoOrphans();
  });

  it('places on the node with the most free memory', async () => {
    const nodes = await (await t.services.servers.clientFor(serverId)).client.clusterResources('node');
    const free = (n: string) => {
      const x = nodes.find((r) => r.type === 'node' && r.node === n) as { maxmem: number; mem: number };
      return x.maxmem - x.mem;
    };
    const best = free('pve1') >= free('pve2') ? 'pve1' : 'pve2';
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/vms',
      headers: auth(admin),
      payload: { templateId, name: 'roomy' },
    });
    expect((await settle(t, admin, res.json().vm.id)).vm.node).toBe(best);
  });

  it('lets an admin pin a node', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/vms',
      headers: auth(admin),
      payload: { templateId, name: 'pinned', placement: { serverId, node: 'pve2' } },
    });
    expect(res.statusCode, res.body).toBe(202);
    expect((await settle(t, admin, res.json().vm.id)).vm.node).toBe('pve2');
  });
});

describe('many creates at once', () => {
  it('50 parallel creates all end running, each with its own VMID', async () => {
    const fleet = await seedTemplate(t, [{ serverId, node: 'pve2', vmid: 9100 }], { memoryMib: 512 });
    const users = await Promise.all(Array.from({ length: 10 }, () => register(t.app)));
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/vms',
          headers: auth(users[i % 10]!),
          payload: { templateId: fleet, name: `fleet-${i}` },
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(50).fill(202));
    const ids = responses.map((r) => r.json().vm.id as string);
    await waitFor(
      'all 50 to settle',
      async () => {
        const rows = await tdb.database.db
          .select({ id: vmOperations.id })
          .from(vmOperations)
          .where(inArray(vmOperations.status, ['queued', 'running']));
        return rows.length === 0;
      },
      120_000,
    );
    const rows = await tdb.database.db.select().from(vms).where(inArray(vms.id, ids));
    expect(rows.map((r) => `${r.status}/${r.powerState}`)).toEqual(Array(50).fill('active/running'));
    const vmids = rows.map((r) => r.vmid);
    expect(new Set(vmids).size).toBe(50);
    const inSim = sim.control.state().vms.filter((v) => vmids.includes(v.vmid));
    expect(inSim.map((v) => v.status)).toEqual(Array(50).fill('running'));
    await expectNoOrphans();
  }, 180_000);
});
