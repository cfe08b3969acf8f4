import type { RunningSimulator } from '@uni-manager/pve-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { FAST_OPERATIONS, addSimulatorServer, fastSimulator, seedTemplate, settle } from '../../test/vm-fixtures.js';

/** Another user's VM does not exist, on every VM route the OpenAPI document lists. */
let sim: RunningSimulator;
let tdb: TestDatabase;
let t: TestApp;
let admin: Client;
let alice: Client;
let mallory: Client;
let vmId: string;
let routes: { method: string; path: string; operationId: string }[];

/** Bodies that pass validation, so what answers is the access check and not the schema. */
const validBody: Record<string, unknown> = {
  resizeVm: { cores: 3 },
  renameVm: { name: 'stolen' },
  shutdownVm: {},
};

beforeAll(async () => {
  sim = await fastSimulator({ seed: 21 });
  tdb = await createTestDatabase();
  t = await buildTestApp({ database: tdb.database, env: FAST_OPERATIONS });
  await t.services.operations.start();
  admin = await createAdmin(t);
  alice = await register(t.app);
  mallory = await register(t.app);
  const serverId = await addSimulatorServer(t, admin, sim);
  const templateId = await seedTemplate(t, [{ serverId, node: 'pve1', vmid: 9000 }]);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/vms',
    headers: auth(alice),
    payload: { templateId, name: 'private' },
  });
  vmId = res.json().vm.id;
  await settle(t, alice, vmId);
  const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
  routes = Object.entries(doc.paths as Record<string, Record<string, { operationId: string }>>)
    .filter(([p]) => p.startsWith('/api/v1/vms/{id}'))
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        operationId: op.operationId,
      })),
    );
});
afterAll(async () => {
  await t?.close();
  await tdb?.drop();
  await sim?.close();
});

const call = (c: Client, r: { method: string; path: string; operationId: string }) =>
  t.app.inject({
    method: r.method as 'GET',
    url: r.path.replace('{id}', vmId),
    headers: auth(c),
    ...(validBody[r.operationId] !== undefined ? { payload: validBody[r.operationId] } : {}),
  });

describe('cross-user access', () => {
  it('covers every VM route', () => {
    const ids = routes.map((r) => r.operationId);
    for (const id of [
      'getVm',
      'deleteVm',
      'startVm',
      'stopVm',
      'shutdownVm',
      'rebootVm',
      'suspendVm',
      'resumeVm',
      'resizeVm',
      'renameVm',
      'listVmOperations',
      'getVmMetrics',
    ])
      expect(ids).toContain(id);
  });

  it('answers 404 to another user on every route, and changes nothing', async () => {
    for (const r of routes) {
      const res = await call(mallory, r);
      expect(res.statusCode, `${r.operationId}: ${res.body}`).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
      expect(res.body).not.toContain('private');
    }
    const ops = await t.app.inject({ method: 'GET', url: `/api/v1/vms/${vmId}/operations`, headers: auth(alice) });
    expect(ops.json().items.map((o: { kind: string }) => o.kind)).toEqual(['create']);
  });

  it('keeps other users’ VMs out of lists and bulk actions', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/vms', headers: auth(mallory) });
    expect(list.json().total).toBe(0);
    const bulk = await t.app.inject({
      method: 'POST',
      url: '/api/v1/vms/bulk',
      headers: auth(mallory),
      payload: { action: 'stop', ids: [vmId] },
    });
    expect(bulk.json().results).toEqual([
      { id: vmId, operation: null, error: { code: 'NOT_FOUND', message: 'VM not found' } },
    ]);
    const admins = await t.app.inject({ method: 'GET', url: '/api/v1/admin/vms', headers: auth(mallory) });
    expect(admins.statusCode).toBe(403);
  });

  it('lets an admin see and act on any VM', async () => {
    const get = await t.app.inject({ method: 'GET', url: `/api/v1/vms/${vmId}`, headers: auth(admin) });
    expect(get.statusCode).toBe(200);
    expect(get.json().owner.id).toBe(alice.userId);
    const all = await t.app.inject({ method: 'GET', url: `/api/v1/admin/vms?q=private`, headers: auth(admin) });
    expect(all.json().items.map((v: { id: string }) => v.id)).toEqual([vmId]);
    const stop = await t.app.inject({ method: 'POST', url: `/api/v1/vms/${vmId}/stop`, headers: auth(admin) });
    expect(stop.statusCode).toBe(202);
    const { vm } = await settle(t, alice, vmId);
    expect(vm.powerState).toBe('stopped');
    expect(vm.lastOperation?.actor?.id).toBe(admin.userId);
  });

  it('refuses to remove a server that still has VMs', async () => {
    const servers = await t.app.inject({ method: 'GET', url: '/api/v1/admin/servers', headers: auth(admin) });
    const id = servers.json().items[0].id;
    const res = await t.app.inject({ method: 'DELETE', url: `/api/v1/admin/servers/${id}`, headers: auth(admin) });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'CONFLICT', details: { vms: 1 } });
  });

  it('rejects malformed input with 400, never 500', async () => {
    const bad = [
      { url: '/api/v1/vms/not-a-uuid', method: 'GET' },
      { url: `/api/v1/vms/${vmId}/resize`, method: 'POST', payload: { cores: 1e308 } },
      { url: `/api/v1/vms/${vmId}/resize`, method: 'POST', payload: {} },
      { url: `/api/v1/vms/${vmId}/rename`, method: 'POST', payload: { name: 'x'.repeat(10_000) } },
      { url: '/api/v1/vms', method: 'POST', payload: '{"templateId":' },
      { url: '/api/v1/vms?pageSize=100000', method: 'GET' },
      { url: '/api/v1/vms/bulk', method: 'POST', payload: { action: 'stop', ids: Array(101).fill(vmId) } },
    ] as const;
    for (const b of bad) {
      const res = await t.app.inject({
        method: b.method,
        url: b.url,
        headers: { ...auth(alice), 'content-type': 'application/json' },
        ...('payload' in b ? { payload: typeof b.payload === 'string' ? b.payload : JSON.stringify(b.payload) } : {}),
      });
      expect(res.statusCode, `${b.method} ${b.url}: ${res.body}`).toBe(400);
    }
  });
});
