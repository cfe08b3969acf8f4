import type { RunningSimulator } from '@uni-manager/pve-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxmoxClient, type ProxmoxClient } from '../../integrations/proxmox/client.js';
import { waitForTask } from '../../integrations/proxmox/tasks.js';
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
  SSH_KEY,
  addSimulatorServer,
  fastSimulator,
  getVm,
  seedTemplate,
  settle,
} from '../../test/vm-fixtures.js';

/** The whole life of a VM, through the API, against the simulator over HTTPS. */
let sim: RunningSimulator;
let tdb: TestDatabase;
let t: TestApp;
let admin: Client;
let alice: Client;
let serverId: string;
let templateId: string;
let pve: ProxmoxClient;

beforeAll(async () => {
  sim = await fastSimulator();
  tdb = await createTestDatabase();
  t = await buildTestApp({ database: tdb.database, env: { ...FAST_OPERATIONS, OPERATION_MAX_ATTEMPTS: '3' } });
  await t.services.operations.start();
  admin = await createAdmin(t);
  alice = await register(t.app);
  serverId = await addSimulatorServer(t, admin, sim);
  templateId = await seedTemplate(t, [{ serverId, node: 'pve1', vmid: 9000 }]);
  pve = createProxmoxClient({
    baseUrl: sim.url,
    tokenId: sim.tokens.admin.id,
    tokenSecret: sim.tokens.admin.secret,
    tls: { fingerprint: sim.fingerprint },
    timeoutMs: 5000,
  });
});
afterAll(async () => {
  await pve?.close();
  await t?.close();
  await tdb?.drop();
  await sim?.close();
});

const post = (c: Client, url: string, payload?: unknown) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: auth(c),
    ...(payload !== undefined ? { payload } : {}),
  });

async function createVm(c: Client, name: string, extra: Record<string, unknown> = {}) {
  const res = await post(c, '/vms', { templateId, name, ...extra });
  expect(res.statusCode, res.body).toBe(202);
  return res.json() as { vm: { id: string }; operation: { id: string; status: string } };
}

describe('a VM from creation to deletion', () => {
  let id: string;
  let vmid: number;

  it('is created with cloud-init, shows its steps, and ends running', async () => {
    const created = await createVm(alice, 'Lab-01', {
      cores: 3,
      memoryMib: 3072,
      diskGib: 10,
      sshPublicKeys: [SSH_KEY],
      password: 'correct horse battery',
    });
    id = created.vm.id;
    expect(['queued', 'running']).toContain(created.operation.status);
    const { vm, steps } = await settle(t, alice, id);
    expect(vm).toMatchObject({
      name: 'lab-01',
      status: 'active',
      powerState: 'running',
      cores: 3,
      memoryMib: 3072,
      diskGib: 10,
    });
    expect(vm.lastOperation).toMatchObject({ kind: 'create', status: 'succeeded', step: 'done' });
    expect(steps).toContain('cloning');
    expect(steps.indexOf('cloning')).toBeLessThan(steps.lastIndexOf('starting'));
    vmid = vm.vmid!;

    const config = await pve.vmConfig('pve1', vmid);
    expect(config).toMatchObject({ name: 'lab-01' });
    expect([Number(config.cores), Number(config.memory)]).toEqual([3, 3072]);
    expect(String(config.tags)).toContain(`owner-${alice.userId.slice(0, 8)}`);
    expect(decodeURIComponent(String(config.sshkeys))).toBe(SSH_KEY);
    expect(config.cipassword).toBeTruthy();
    expect(String(config.scsi0)).toMatch(/size=10G/);
    expect((await pve.vmStatus('pve1', vmid)).status).toBe('running');
  });

  it('never returns the cloud-init password, and forgets it once created', async () => {
    const ops = await t.app.inject({ method: 'GET', url: `/api/v1/vms/${id}/operations`, headers: auth(alice) });
    expect(ops.body).not.toContain('correct horse');
    const rows = await tdb.database.db.query.vmOperations.findMany();
    expect(JSON.stringify(rows)).not.toContain('passwordSealed');
  });

  it('resizes: cores and memory wait for a reboot on a running VM; the disk grows at once', async () => {
    const res = await post(alice, `/vms/${id}/resize`, { cores: 4, memoryMib: 4096, diskGib: 12 });
    expect(res.statusCode, res.body).toBe(202);
    const { vm } = await settle(t, alice, id);
    expect(vm.lastOperation).toMatchObject({ kind: 'resize', status: 'succeeded' });
    expect(vm.diskGib).toBe(12);
    expect(vm.pending).toEqual({ cores: 4, memoryMib: 4096 });
    expect(String((await pve.vmConfig('pve1', vmid)).scsi0)).toMatch(/size=12G/);
  });

  it('refuses to shrink the disk, with the reason', async () => {
    const res = await post(alice, `/vms/${id}/resize`, { diskGib: 5 });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'DISK_SHRINK_NOT_SUPPORTED' });
    expect(res.json().error.details.fields[0].path).toBe('diskGib');
  });

  it('reboots, which applies the pending changes', async () => {
    expect((await post(alice, `/vms/${id}/reboot`)).statusCode).toBe(202);
    const { vm } = await settle(t, alice, id);
    expect(vm).toMatchObject({ powerState: 'running', cores: 4, memoryMib: 4096, pending: null });
  });

  it('refuses a second operation while one is active', async () => {
    expect((await post(alice, `/vms/${id}/suspend`)).statusCode).toBe(202);
    const second = await post(alice, `/vms/${id}/stop`);
    // Either the suspend is still active (busy), or it finished already and stop is fine.
    if (second.statusCode === 409) expect(second.json().error.code).toBe('VM_BUSY');
    else expect(second.statusCode).toBe(202);
    await settle(t, alice, id);
  });

  it('suspends and resumes', async () => {
    if ((await getVm(t, alice, id)).powerState !== 'running') {
      await post(alice, `/vms/${id}/start`);
      expect((await settle(t, alice, id)).vm.powerState).toBe('running');
    }
    expect((await post(alice, `/vms/${id}/suspend`)).statusCode).toBe(202);
    expect((await settle(t, alice, id)).vm.powerState).toBe('paused');
    expect((await pve.vmStatus('pve1', vmid)).qmpstatus).toBe('paused');
    const shutdown = await post(alice, `/vms/${id}/shutdown`, {});
    expect(shutdown.statusCode).toBe(409);
    expect(shutdown.json().error.code).toBe('INVALID_STATE_TRANSITION');
    expect((await post(alice, `/vms/${id}/resume`)).statusCode).toBe(202);
    expect((await settle(t, alice, id)).vm.powerState).toBe('running');
  });

  it('shuts down gracefully, then refuses to stop what is stopped', async () => {
    expect((await post(alice, `/vms/${id}/shutdown`, { timeoutSeconds: 30 })).statusCode).toBe(202);
    const { vm } = await settle(t, alice, id);
    expect(vm.powerState).toBe('stopped');
    expect((await pve.vmStatus('pve1', vmid)).status).toBe('stopped');
    const again = await post(alice, `/vms/${id}/stop`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('INVALID_STATE_TRANSITION');
  });

  it('renames, in Proxmox too', async () => {
    expect((await post(alice, `/vms/${id}/rename`, { name: 'lab-02' })).statusCode).toBe(202);
    expect((await settle(t, alice, id)).vm.name).toBe('lab-02');
    expect((await pve.vmConfig('pve1', vmid)).name).toBe('lab-02');
  });

  it('records every state change for billing', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/vms/${id}/metrics?range=1h`, headers: auth(alice) });
    const states = res.json().states.map((s: { status: string; powerState: string }) => `${s.status}/${s.powerState}`);
    expect(states.slice(0, 2)).toEqual(['provisioning/unknown', 'active/running']);
    expect(states).toContain('active/paused');
    expect(states.at(-1)).toBe('active/stopped');
    // Only changes are recorded: no two neighbours are the same state.
    states.forEach((s: string, i: number) => i && expect(s).not.toBe(states[i - 1]));
  });

  it('lists the operations newest first', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/vms/${id}/operations`, headers: auth(alice) });
    const kinds = res.json().items.map((o: { kind: string }) => o.kind);
    expect(kinds[0]).toBe('rename');
    expect(kinds.at(-1)).toBe('create');
    expect(res.json().items.every((o: { status: string }) => o.status === 'succeeded')).toBe(true);
  });

  it('is deleted: destroyed in Proxmox, gone for its owner, kept in the admin history', async () => {
    const res = await t.app.inject({ method: 'DELETE', url: `/api/v1/vms/${id}`, headers: auth(alice) });
    expect(res.statusCode).toBe(202);
    const until = Date.now() + 20_000;
    while ((await t.app.inject({ method: 'GET', url: `/api/v1/vms/${id}`, headers: auth(alice) })).statusCode !== 404) {
      if (Date.now() > until) throw new Error('not deleted');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(sim.control.state().vms.some((v) => v.vmid === vmid)).toBe(false);
    const asAdmin = await getVm(t, admin, id);
    expect(asAdmin.status).toBe('deleted');
    expect(asAdmin.lastOperation).toMatchObject({ kind: 'delete', status: 'succeeded' });
  });
});

describe('create checks', () => {
  it('validates name, size and cloud-init fields with the field that is wrong', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '-bad-' }, 'name'],
      [{ name: 'a'.repeat(64) }, 'name'],
      [{ name: 'ok', cores: 64 }, 'cores'],
      [{ name: 'ok', memoryMib: 100_000_000 }, 'memoryMib'],
      [{ name: 'ok', memoryMib: 1000 }, 'memoryMib'],
      [{ name: 'ok', diskGib: 1 }, 'diskGib'],
      [{ name: 'ok', sshPublicKeys: ['not a key'] }, 'sshPublicKeys.0'],
      [{ name: 'ok', cores: '2' }, 'cores'],
    ];
    for (const [body, field] of cases) {
      const res = await post(alice, '/vms', { templateId, ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      const paths = (res.json().error.details?.fields ?? []).map((f: { path: string }) => f.path);
      expect(paths.join(','), JSON.stringify(body)).toContain(field);
    }
  });

  it('refuses SSH keys for a template without cloud-init', async () => {
    const plain = await seedTemplate(t, [{ serverId, node: 'pve1', vmid: 9002 }], { cloudInit: false });
    const res = await post(alice, '/vms', { templateId: plain, name: 'plain', sshPublicKeys: [SSH_KEY] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0].path).toBe('sshPublicKeys');
  });

  it('hides admin-only templates and refuses disabled ones', async () => {
    const hidden = await seedTemplate(t, [{ serverId, node: 'pve1', vmid: 9000 }], { visibility: 'admin' });
    const disabled = await seedTemplate(t, [{ serverId, node: 'pve1', vmid: 9000 }], { visibility: 'disabled' });
    expect((await post(alice, '/vms', { templateId: hidden, name: 'x1' })).statusCode).toBe(404);
    const res = await post(alice, '/vms', { templateId: disabled, name: 'x2' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('TEMPLATE_UNAVAILABLE');
  });

  it('lets only admins pin a server', async () => {
    const res = await post(alice, '/vms', { templateId, name: 'pinned', placement: { serverId } });
    expect(res.statusCode).toBe(403);
  });

  it('refuses a name the user already has', async () => {
    const bob = await register(t.app);
    await createVm(bob, 'twin');
    const res = await post(bob, '/vms', { templateId, name: 'TWIN' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'NAME_TAKEN' });
  });

  it('refuses more memory than any node has free', async () => {
    const big = await seedTemplate(t, [{ serverId, node: 'pve1', vmid: 9000 }], { maxMemoryMib: 4 * 1024 * 1024 });
    const res = await post(alice, '/vms', { templateId: big, name: 'huge', memoryMib: 2 * 1024 * 1024 });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('NO_CAPACITY');
  });
});

describe('faults', () => {
  it('a failing Proxmox task leaves the operation failed with its message, and the VM as it was', async () => {
    const { vm: created } = await createVm(admin, 'fault-1');
    const { vm } = await settle(t, admin, created.id);
    expect((await post(admin, `/vms/${vm.id}/stop`)).statusCode).toBe(202);
    await settle(t, admin, vm.id);
    sim.control.setTaskFailureRate(1, 'start failed: QEMU exited with code 1');
    try {
      expect((await post(admin, `/vms/${vm.id}/start`)).statusCode).toBe(202);
      const after = (await settle(t, admin, vm.id)).vm;
      expect(after.lastOperation).toMatchObject({
        kind: 'start',
        status: 'failed',
        error: { code: 'TASK_FAILED', message: 'start failed: QEMU exited with code 1' },
      });
      expect(after.powerState).toBe('stopped');
    } finally {
      sim.control.setTaskFailureRate(0);
    }
  });

  it('a create whose clone fails ends failed and leaves nothing in Proxmox', async () => {
    const before = sim.control.state().vms.length;
    sim.control.setTaskFailureRate(1, 'disk full');
    let id: string;
    try {
      id = (await createVm(admin, 'fault-2')).vm.id;
      const { vm } = await settle(t, admin, id);
      expect(vm.status).toBe('failed');
      expect(vm.failureMessage).toBe('clone failed: disk full');
      expect(vm.lastOperation?.error?.message).toBe('clone failed: disk full');
    } finally {
      sim.control.setTaskFailureRate(0);
    }
    expect(sim.control.state().vms.length).toBe(before);
    // A failed VM can be dismissed.
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/vms/${id}`, headers: auth(admin) })).statusCode).toBe(
      202,
    );
    expect((await settle(t, admin, id)).vm.status).toBe('deleted');
  });

  it('a VM locked in Proxmox gives a clear conflict', async () => {
    const { vm: created } = await createVm(admin, 'locked-1');
    const { vm } = await settle(t, admin, created.id);
    // A backup holds the lock while it runs.
    const upid = await pve.post<string>('/nodes/pve1/vzdump', { vmid: String(vm.vmid), storage: 'local' });
    await t.services.reconciler.runCycle();
    const res = await post(admin, `/vms/${vm.id}/stop`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'VM_LOCKED' });
    expect(res.json().error.message).toContain('backup');
    await waitForTask(pve, upid, { deadlineMs: 20_000, pollMs: 50 });
    await t.services.reconciler.runCycle();
    expect((await post(admin, `/vms/${vm.id}/stop`)).statusCode).toBe(202);
    expect((await settle(t, admin, vm.id)).vm.powerState).toBe('stopped');
  });
});
