import { randomUUID } from 'node:crypto';
import type { RunningSimulator } from '@uni-manager/pve-sim';
import { asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vmOperations, vms, vmSamples, vmStateHistory, type VmRow } from '../../db/schema/index.js';
import type { ProxmoxClient } from '../../integrations/proxmox/client.js';
import { waitForTask } from '../../integrations/proxmox/tasks.js';
import {
  buildTestApp,
  createAdmin,
  createTestDatabase,
  manualClock,
  register,
  type Client,
  type TestApp,
  type TestDatabase,
} from '../../test/harness.js';
import { recordStatements } from '../../test/statements.js';
import { addSimulatorServer, fastSimulator } from '../../test/vm-fixtures.js';

let sim: RunningSimulator;
let tdb: TestDatabase;
let t: TestApp;
let admin: Client;
let owner: Client;
let serverId: string;
let pve: ProxmoxClient;
const clock = manualClock(new Date('2026-03-01T09:00:00.000Z'));
const TEMPLATE = 9000;

beforeAll(async () => {
  sim = await fastSimulator();
  tdb = await createTestDatabase();
  t = await buildTestApp({ database: tdb.database, clock, env: { PROXMOX_TIMEOUT: '10' } });
  admin = await createAdmin(t);
  owner = await register(t.app);
  serverId = await addSimulatorServer(t, admin, sim);
  pve = (await t.services.servers.clientFor(serverId)).client;
});
afterAll(async () => {
  await pve?.close();
  await t?.close();
  await tdb?.drop();
  await sim?.close();
});

const db = () => tdb.database.db;
const node0 = () => sim.nodes[0]!;

async function task(upid: string) {
  const r = await waitForTask(pve, upid, { deadlineMs: 20_000, pollMs: 20 });
  expect(r, r.log.join('\n')).toMatchObject({ ok: true });
}

/** A real VM in the simulator, and our record of it, as the create operation would leave them. */
async function createVm(name: string, over: Partial<VmRow> = {}): Promise<VmRow> {
  const vmid = await pve.nextId();
  await task(await pve.clone(node0(), TEMPLATE, { newid: vmid, name }));
  const [row] = await db()
    .insert(vms)
    .values({
      id: randomUUID(),
      ownerId: owner.userId,
      serverId,
      node: node0(),
      vmid,
      name,
      cores: 2,
      memoryMib: 2048,
      diskGib: 3,
      status: 'active',
      powerState: 'stopped',
      ...over,
    })
    .returning();
  return row!;
}

const power = async (vm: VmRow, action: 'start' | 'stop' | 'suspend' | 'resume') =>
  task(await pve.power(vm.node!, vm.vmid!, action));
const reload = async (vm: VmRow) => (await db().select().from(vms).where(eq(vms.id, vm.id)))[0]!;
const historyOf = async (vm: VmRow) =>
  (await db().select().from(vmStateHistory).where(eq(vmStateHistory.vmId, vm.id)).orderBy(asc(vmStateHistory.id))).map(
    (h) => ({ status: h.status, powerState: h.powerState, source: h.source, at: h.at.toISOString() }),
  );
const samplesOf = async (vm: VmRow) =>
  db().select().from(vmSamples).where(eq(vmSamples.vmId, vm.id)).orderBy(asc(vmSamples.at));
const auditOf = async (vm: { id: string }, action: 'vm.lost' | 'vm.found') =>
  (await t.services.audit.search({ page: 1, pageSize: 50, targetId: vm.id, action })).items;

/** One reconciliation cycle, a little later than the previous one. */
async function cycle() {
  clock.advance(30_000);
  return t.services.reconciler.runCycle();
}

describe('reconciliation', () => {
  it('converges power state both ways when it changes in Proxmox, recording history only on change', async () => {
    const vm = await createVm('converge-1');
    const first = await cycle();
    expect(first).toMatchObject({ servers: 1, failedServers: 0, lost: 0, found: 0 });
    expect(first.seen).toBeGreaterThanOrEqual(1);
    expect(await reload(vm)).toMatchObject({ powerState: 'stopped', status: 'active' });
    expect(await historyOf(vm)).toEqual([]);

    await power(vm, 'start');
    await cycle();
    const startedAt = clock.now().toISOString();
    expect(await reload(vm)).toMatchObject({ powerState: 'running', status: 'active' });
    expect(await historyOf(vm)).toEqual([
      { status: 'active', powerState: 'running', source: 'reconcile', at: startedAt },
    ]);

    // Nothing changed: a second cycle writes no history.
    await cycle();
    expect(await historyOf(vm)).toHaveLength(1);

    await power(vm, 'stop');
    await cycle();
    expect(await reload(vm)).toMatchObject({ powerState: 'stopped' });
    expect((await historyOf(vm)).map((h) => h.powerState)).toEqual(['running', 'stopped']);
    await cycle();
    expect(await historyOf(vm)).toHaveLength(2);
  });

  it('records usage on the VM and as samples', async () => {
    const vm = await createVm('usage-1');
    await power(vm, 'start');
    sim.control.tick();
    await cycle();
    const row = await reload(vm);
    expect(row.lastSyncedAt?.toISOString()).toBe(clock.now().toISOString());
    expect(row.cpu).toBeGreaterThanOrEqual(0);
    expect(row.cpu).toBeLessThanOrEqual(row.cores);
    expect(row.memTotalBytes).toBe(2048 * 1024 * 1024);
    expect(row.memUsedBytes).toBeGreaterThan(0);
    expect(row.uptimeSeconds).toBeGreaterThanOrEqual(0);
    sim.control.tick();
    await cycle();
    const samples = await samplesOf(vm);
    expect(samples).toHaveLength(2);
    expect(samples[1]).toMatchObject({ at: clock.now(), memTotalBytes: 2048 * 1024 * 1024 });
    expect(samples[1]!.memUsedBytes).toBeGreaterThan(0);
    await power(vm, 'stop');
  });

  it('marks a VM destroyed in Proxmox lost, keeps it, alerts, and finds it when it comes back', async () => {
    const vm = await createVm('vanish-1');
    await power(vm, 'start');
    await cycle();
    expect(await reload(vm)).toMatchObject({ powerState: 'running' });

    const before = await reload(vm);
    expect(sim.control.vanishVm(vm.vmid!)).toBe(true);
    const r = await cycle();
    const lostAt = clock.now();
    expect(r.lost).toBe(1);
    const lost = await reload(vm);
    expect(lost).toMatchObject({ status: 'lost', powerState: 'unknown', lostAt, updatedAt: lostAt });
    // What was last seen of it stays as it was seen.
    expect(lost).toMatchObject({
      cpu: before.cpu,
      memUsedBytes: before.memUsedBytes,
      uptimeSeconds: before.uptimeSeconds,
      lastSyncedAt: before.lastSyncedAt,
    });
    const audit = await auditOf(vm, 'vm.lost');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      targetType: 'vm',
      targetId: vm.id,
      details: { serverId, node: node0(), vmid: vm.vmid, name: 'vanish-1', ownerId: owner.userId },
    });

    // Still gone: no second alert, no more history, no write.
    expect((await cycle()).lost).toBe(0);
    expect(await auditOf(vm, 'vm.lost')).toHaveLength(1);
    expect(await reload(vm)).toMatchObject({ status: 'lost', lostAt, updatedAt: lostAt });

    // Restored in Proxmox (say from a backup) under the same VMID.
    await task(await pve.clone(node0(), TEMPLATE, { newid: vm.vmid!, name: 'vanish-1' }));
    const back = await cycle();
    expect(back.found).toBe(1);
    expect(await reload(vm)).toMatchObject({ status: 'active', powerState: 'stopped', lostAt: null });
    expect(await auditOf(vm, 'vm.found')).toHaveLength(1);
    expect((await historyOf(vm)).map((h) => [h.status, h.powerState])).toEqual([
      ['active', 'running'],
      ['lost', 'unknown'],
      ['active', 'stopped'],
    ]);
  });

  it('marks nothing lost when the server does not answer', async () => {
    const vm = await createVm('silent-1');
    await cycle();
    sim.control.setErrorRate(1);
    try {
      const r = await cycle();
      expect(r).toMatchObject({ servers: 0, failedServers: 1, lost: 0 });
    } finally {
      sim.control.setErrorRate(0);
    }
    expect(await reload(vm)).toMatchObject({ status: 'active', powerState: 'stopped' });
    expect(await auditOf(vm, 'vm.lost')).toEqual([]);
  });

  it('marks nothing lost on a server that is down, or that lists no VMs at all', async () => {
    const other = await fastSimulator({ nodes: 1, seed: 5 });
    let closed = false;
    const otherId = await addSimulatorServer(t, admin, other, 'Sim down');
    const [orphan] = await db()
      .insert(vms)
      .values({
        id: randomUUID(),
        ownerId: owner.userId,
        serverId: otherId,
        node: other.nodes[0]!,
        vmid: 4242,
        name: 'orphan-1',
        cores: 1,
        memoryMib: 512,
        diskGib: 3,
        status: 'active',
        powerState: 'running',
      })
      .returning();
    try {
      // A token that cannot see VMs gets an empty list: that is not every VM destroyed.
      for (const v of other.control.state().vms) other.control.vanishVm(v.vmid);
      let r = await cycle();
      expect(r).toMatchObject({ failedServers: 1, lost: 0 });
      expect(await reload(orphan!)).toMatchObject({ status: 'active', powerState: 'running' });

      await other.close();
      closed = true;
      r = await cycle();
      expect(r).toMatchObject({ servers: 1, failedServers: 1, lost: 0 });
      expect(await reload(orphan!)).toMatchObject({ status: 'active', powerState: 'running' });
      expect(await auditOf(orphan!, 'vm.lost')).toEqual([]);
    } finally {
      if (!closed) await other.close();
      // Out of the way of the following tests' summaries.
      await db().update(vms).set({ status: 'deleted' }).where(eq(vms.id, orphan!.id));
    }
  });

  it('shows a VM on an unreachable node as unknown, not lost', async () => {
    const vm = await createVm('offline-node-1');
    await power(vm, 'start');
    await cycle();
    sim.control.setNodeOffline(node0(), 'refuse');
    try {
      const r = await cycle();
      expect(r.lost).toBe(0);
      expect(await reload(vm)).toMatchObject({ status: 'active', powerState: 'unknown', cpu: null });
    } finally {
      sim.control.setNodeOnline(node0());
    }
    await cycle();
    expect(await reload(vm)).toMatchObject({ status: 'active', powerState: 'running' });
    expect((await historyOf(vm)).map((h) => h.powerState)).toEqual(['running', 'unknown', 'running']);
    await power(vm, 'stop');
  });

  it('leaves the power state of a VM with an active operation to the operation, but records its usage', async () => {
    const vm = await createVm('busy-1');
    await power(vm, 'start');
    await cycle();
    const [op] = await db()
      .insert(vmOperations)
      .values({ id: randomUUID(), vmId: vm.id, kind: 'stop', status: 'running' })
      .returning();
    await power(vm, 'stop');
    await cycle();
    const busy = await reload(vm);
    expect(busy.powerState).toBe('running');
    expect(busy.lastSyncedAt?.toISOString()).toBe(clock.now().toISOString());
    expect((await samplesOf(vm)).at(-1)?.at).toEqual(clock.now());
    expect(await historyOf(vm)).toHaveLength(1);

    // Ended, but after this cycle asked Proxmox: what Proxmox said may predate it, so still the operation's.
    await db()
      .update(vmOperations)
      .set({ status: 'succeeded', finishedAt: new Date(clock.now().getTime() + 60_000) })
      .where(eq(vmOperations.id, op!.id));
    await cycle();
    expect(await reload(vm)).toMatchObject({ powerState: 'running' });
    expect(await historyOf(vm)).toHaveLength(1);

    await db()
      .update(vmOperations)
      .set({ status: 'succeeded', finishedAt: clock.now() })
      .where(eq(vmOperations.id, op!.id));
    await cycle();
    expect(await reload(vm)).toMatchObject({ powerState: 'stopped' });
  });

  it('keeps a paused VM paused, and follows it when it is resumed or stopped in Proxmox', async () => {
    const vm = await createVm('paused-1');
    await power(vm, 'start');
    await power(vm, 'suspend');
    await db().update(vms).set({ powerState: 'paused' }).where(eq(vms.id, vm.id));
    await cycle();
    expect(await reload(vm)).toMatchObject({ powerState: 'paused' });
    expect(await historyOf(vm)).toEqual([]);

    await power(vm, 'resume');
    await cycle();
    expect(await reload(vm)).toMatchObject({ powerState: 'running' });

    await db().update(vms).set({ powerState: 'paused' }).where(eq(vms.id, vm.id));
    await power(vm, 'stop');
    await cycle();
    expect(await reload(vm)).toMatchObject({ powerState: 'stopped' });
  });

  it('shows size, name and node changes made directly in Proxmox', async () => {
    const vm = await createVm('resized-1', { node: sim.nodes[1]! });
    await task(await pve.setConfig(node0(), vm.vmid!, { cores: 4, memory: 4096 }));
    await cycle();
    // The record said the other node: where Proxmox lists it wins (a migration).
    expect(await reload(vm)).toMatchObject({ cores: 4, memoryMib: 4096, node: node0(), powerState: 'stopped' });

    // A change Proxmox holds as pending is the resize operation's business.
    await db()
      .update(vms)
      .set({ pending: { cores: 8 } })
      .where(eq(vms.id, vm.id));
    await task(await pve.setConfig(node0(), vm.vmid!, { cores: 3 }));
    await cycle();
    expect(await reload(vm)).toMatchObject({ cores: 4 });
    await db().update(vms).set({ pending: null }).where(eq(vms.id, vm.id));
    await cycle();
    expect(await reload(vm)).toMatchObject({ cores: 3 });

    await task(await pve.setConfig(node0(), vm.vmid!, { name: 'renamed-1' }));
    await cycle();
    expect(await reload(vm)).toMatchObject({ name: 'renamed-1' });

    // Not a DNS label, or already another of the owner's names: ours stays.
    await task(await pve.setConfig(node0(), vm.vmid!, { name: 'web.example.org' }));
    await cycle();
    expect(await reload(vm)).toMatchObject({ name: 'renamed-1' });
    await createVm('taken-1');
    await task(await pve.setConfig(node0(), vm.vmid!, { name: 'taken-1' }));
    const r = await cycle();
    expect(r.failedServers).toBe(0);
    expect(await reload(vm)).toMatchObject({ name: 'renamed-1' });
  });

  it('reconciles hundreds of VMs of a server in one cycle', async () => {
    // 150 real VMs Proxmox lists, and 150 records of VMs it does not: both in the same single pass.
    const base = 20_000;
    const real = Array.from({ length: 150 }, (_, i) => base + i);
    for (let i = 0; i < real.length; i += 15)
      await Promise.all(
        real.slice(i, i + 15).map(async (vmid) => task(await pve.clone(node0(), TEMPLATE, { newid: vmid }))),
      );
    const rows = Array.from({ length: 300 }, (_, i) => ({
      id: randomUUID(),
      ownerId: owner.userId,
      serverId,
      node: node0(),
      vmid: base + i,
      name: `bulk-${i}`,
      cores: 2,
      memoryMib: 2048,
      diskGib: 3,
      status: 'active' as const,
      powerState: 'running' as const,
    }));
    await db().insert(vms).values(rows);
    const r = await cycle();
    expect(r).toMatchObject({ lost: 150, failedServers: 0 });
    expect(r.seen).toBeGreaterThanOrEqual(150);
    const ids = rows.map((x) => x.id);
    const after = await db().select().from(vms).where(inArray(vms.id, ids));
    const byVmid = new Map(after.map((x) => [x.vmid, x]));
    for (const vmid of real) expect(byVmid.get(vmid)).toMatchObject({ status: 'active', powerState: 'stopped' });
    for (let vmid = base + 150; vmid < base + 300; vmid++)
      expect(byVmid.get(vmid)).toMatchObject({ status: 'lost', powerState: 'unknown' });
    const samples = await db().select().from(vmSamples).where(inArray(vmSamples.vmId, ids));
    expect(samples).toHaveLength(150);
    const history = await db().select().from(vmStateHistory).where(inArray(vmStateHistory.vmId, ids));
    expect(history).toHaveLength(300);
    expect((await cycle()).lost).toBe(0);
    expect(await db().select().from(vmStateHistory).where(inArray(vmStateHistory.vmId, ids))).toHaveLength(300);
    await db().update(vms).set({ status: 'deleted' }).where(inArray(vms.id, ids));
  });

  it('spends the same few statements on a server whatever its number of VMs, changes and losses', async () => {
    /** One reconciliation of the server, and the statements it sent (BEGIN and COMMIT included). */
    async function reconcile() {
      clock.advance(30_000);
      const log = recordStatements(tdb.database);
      log.start();
      try {
        const r = await t.services.reconciler.reconcileServer(serverId);
        return { ...r, statements: log.statements.length };
      } finally {
        log.restore();
      }
    }
    const made: string[] = [];
    /** `n` new VMs that Proxmox starts behind our back, and `n` records of VMs it does not have. */
    async function drift(n: number, base: number) {
      for (let i = 0; i < n; i++) {
        const vm = await createVm(`drift-${base}-${i}`);
        await power(vm, 'start');
        made.push(vm.id);
      }
      const missing = Array.from({ length: n }, (_, i) => ({
        id: randomUUID(),
        ownerId: owner.userId,
        serverId,
        node: node0(),
        vmid: base + i,
        name: `missing-${base}-${i}`,
        cores: 1,
        memoryMib: 512,
        diskGib: 3,
        status: 'active' as const,
        powerState: 'running' as const,
      }));
      await db().insert(vms).values(missing);
      made.push(...missing.map((m) => m.id));
      return missing;
    }

    try {
      await reconcile();
      await drift(1, 31_000);
      const one = await reconcile();
      const missing = await drift(25, 32_000);
      const many = await reconcile();
      expect(one).toMatchObject({ ok: true, lost: 1 });
      expect(many).toMatchObject({ ok: true, lost: 25 });
      expect(many.changed).toBe(50);
      expect(many.statements).toBe(one.statements);
      // Ten, and the billing lock taken before the rows (so a cycle cannot deadlock with it).
      expect(many.statements).toBeLessThanOrEqual(11);

      // One statement wrote every loss: each is audited once, as before, and chains like any other entry.
      for (const m of missing) {
        const audit = await auditOf(m, 'vm.lost');
        expect(audit).toHaveLength(1);
        expect(audit[0]!.details).toEqual({
          serverId,
          node: node0(),
          vmid: m.vmid,
          name: m.name,
          ownerId: owner.userId,
        });
      }
      await t.services.audit.seal();
      expect(await t.services.audit.verify()).toMatchObject({ ok: true });
    } finally {
      await db().update(vms).set({ status: 'deleted' }).where(inArray(vms.id, made));
    }
  });

  it('deletes samples past the retention period', async () => {
    const vm = await createVm('retention-1');
    const now = clock.now().getTime();
    const hours = t.config.VM_SAMPLE_RETENTION_HOURS;
    await db()
      .insert(vmSamples)
      .values(
        [hours + 2, hours + 1, hours - 1, 1].map((h) => ({
          vmId: vm.id,
          at: new Date(now - h * 3_600_000),
          cpu: 0.1,
          memUsedBytes: 1,
          memTotalBytes: 2,
        })),
      );
    const r = await t.services.reconciler.retention();
    expect(r.deleted).toBe(2);
    const left = (await samplesOf(vm)).map((s) => (now - s.at.getTime()) / 3_600_000);
    expect(left).toEqual([hours - 1, 1]);
  });
});
