/** Fault injection: nodes offline, latency, 5xx, failing tasks, vanishing VMs, the /_sim endpoint. */
import { request } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cloneTemplate, startTestSim, type TestSim } from './testing/harness.js';

let t: TestSim;
beforeAll(async () => {
  t = await startTestSim({ faults: { hangMs: 400 } });
});
afterAll(async () => {
  await t?.sim.close();
});
afterEach(() => {
  t.sim.control.resetFaults();
  t.sim.control.setFaults({ hangMs: 400 });
});

describe('node offline', () => {
  it('refuses calls to the node with 595 and shows it offline', async () => {
    t.sim.control.setNodeOffline('pve2', 'refuse');
    const r = await t.api.get('/nodes/pve2/qemu');
    expect(r.status).toBe(595);
    expect(r.statusText).toBe('No route to host');
    expect(r.text).toBe('');
    expect((await t.api.get('/nodes/pve1/qemu')).status).toBe(200);
    const nodes = await t.api.data<Record<string, unknown>[]>(t.api.get('/nodes'));
    expect(nodes.find((n) => n.node === 'pve2')?.status).toBe('offline');
    const vms = await t.api.data<Record<string, unknown>[]>(t.api.get('/cluster/resources', { type: 'vm' }));
    expect(vms.filter((v) => v.node === 'pve2').every((v) => v.status === 'unknown')).toBe(true);
    const status = await t.api.data<Record<string, unknown>[]>(t.api.get('/cluster/status'));
    expect(status.find((s) => s.name === 'pve2')?.online).toBe(0);
    t.sim.control.setNodeOnline('pve2');
    expect((await t.api.get('/nodes/pve2/qemu')).status).toBe(200);
  });

  it('hangs calls to the node: a short client timeout fires, a patient client gets 595 Connection timed out', async () => {
    t.sim.control.setNodeOffline('pve2', 'hang');
    await expect(t.api.request('GET', '/nodes/pve2/status', { timeoutMs: 100 })).rejects.toThrow(/abort|timeout/i);
    const started = Date.now();
    const r = await t.api.get('/nodes/pve2/status');
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(r.status).toBe(595);
    expect(r.statusText).toBe('Connection timed out');
  });
});

describe('latency and 5xx', () => {
  it('adds latency', async () => {
    t.sim.control.setLatency(150);
    const started = Date.now();
    expect((await t.api.get('/version')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('answers a share of calls with 500 and a realistic message', async () => {
    t.sim.control.setErrorRate(1);
    const r = await t.api.get('/cluster/resources');
    expect(r.status).toBe(500);
    expect(r.json?.data).toBeNull();
    expect(r.json?.message).toMatch(/\n$/);
    t.sim.control.setErrorRate(1, 'cluster not ready - no quorum?');
    expect((await t.api.get('/nodes/pve1/qemu')).statusText).toBe('cluster not ready - no quorum?');
    t.sim.control.setErrorRate(0.5);
    const codes = await Promise.all(Array.from({ length: 40 }, () => t.api.get('/version').then((x) => x.status)));
    expect(codes).toContain(200);
    expect(codes).toContain(500);
  });
});

describe('failing tasks', () => {
  it('fails start tasks with a realistic exit status and leaves the VM stopped', async () => {
    await cloneTemplate(t.api, 200);
    t.sim.control.setTaskFailureRate(1);
    const r = await t.api.task(t.api.post('/nodes/pve1/qemu/200/status/start'));
    expect(r.exitstatus).toBe('start failed: QEMU exited with code 1');
    expect((await t.api.taskLog(r.upid)).at(-1)).toBe('TASK ERROR: start failed: QEMU exited with code 1');
    const s = await t.api.data<Record<string, unknown>>(t.api.get('/nodes/pve1/qemu/200/status/current'));
    expect(s.status).toBe('stopped');
  });

  it('fails a clone and removes the half-made VM; honours a fixed message', async () => {
    t.sim.control.setTaskFailureRate(1);
    const r = await cloneTemplate(t.api, 201);
    expect(r.exitstatus).toMatch(/^clone failed: /);
    expect((await t.api.get('/nodes/pve1/qemu/201/config')).status).toBe(500);
    t.sim.control.setTaskFailureRate(1, 'storage is full');
    expect(
      (await t.api.task(t.api.put('/nodes/pve1/qemu/200/resize', { disk: 'scsi0', size: '+1G' }))).exitstatus,
    ).toBe('storage is full');
  });
});

describe('vanishing VMs', () => {
  it('deletes a VM behind the API', async () => {
    await cloneTemplate(t.api, 202);
    expect(t.sim.control.vanishVm(202)).toBe(true);
    expect((await t.api.get('/nodes/pve1/qemu/202/status/current')).json?.message).toBe(
      "Configuration file 'nodes/pve1/qemu-server/202.conf' does not exist\n",
    );
    const vms = await t.api.data<Record<string, unknown>[]>(t.api.get('/cluster/resources', { type: 'vm' }));
    expect(vms.some((v) => v.vmid === 202)).toBe(false);
    expect(t.sim.control.vanishVm(202)).toBe(false);
  });
});

describe('control endpoint', () => {
  const call = (method: string, path: string, body?: unknown, token: string | undefined = t.sim.controlToken) =>
    new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        `${t.sim.url}${path}`,
        {
          method,
          ca: t.sim.caPem,
          headers: {
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
            ...(payload
              ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) }
              : {}),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }),
          );
        },
      );
      req.on('error', reject);
      req.end(payload);
    });

  it('needs the control token', async () => {
    expect((await call('GET', '/_sim/faults', undefined, '')).status).toBe(401);
    expect((await call('GET', '/_sim/faults', undefined, 'wrong')).status).toBe(401);
    expect((await call('GET', '/_sim/health', undefined, '')).status).toBe(200);
  });

  it('reads, sets and resets faults, takes nodes offline, vanishes VMs', async () => {
    const set = await call('PUT', '/_sim/faults', { errorRate: 0.25, latencyMs: 5 });
    expect(set.json).toMatchObject({ errorRate: 0.25, latencyMs: 5 });
    expect((await call('PUT', '/_sim/faults', { errorRate: 2 })).status).toBe(400);
    await call('POST', '/_sim/nodes/pve2/offline', { mode: 'refuse' });
    expect((await call('GET', '/_sim/faults')).json.offlineNodes).toEqual({ pve2: 'refuse' });
    expect((await t.api.get('/nodes/pve2/qemu')).status).toBe(595);
    await call('POST', '/_sim/nodes/pve2/online');
    expect((await call('DELETE', '/_sim/faults')).json).toMatchObject({ errorRate: 0, latencyMs: 0, offlineNodes: {} });
    await cloneTemplate(t.api, 203);
    expect((await call('POST', '/_sim/vms/203/vanish')).status).toBe(200);
    expect((await call('POST', '/_sim/vms/203/vanish')).status).toBe(404);
    const state = await call('GET', '/_sim/state');
    expect((state.json.nodes as unknown[]).length).toBe(2);
  });
});
