import { randomUUID } from 'node:crypto';
import type { RunningSimulator } from '@uni-manager/pve-sim';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vms } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';
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
import { addSimulatorServer, fastSimulator } from '../../test/vm-fixtures.js';

let sim: RunningSimulator;
let tdb: TestDatabase;
let t: TestApp;
let admin: Client;
let user: Client;
let serverId: string;
/** A server that was registered, then went away for good. */
let goneServerId: string;

const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, who = admin) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: auth(who),
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });

beforeAll(async () => {
  sim = await fastSimulator({ seed: 7 });
  tdb = await createTestDatabase();
  t = await buildTestApp({ database: tdb.database, env: { PROXMOX_TIMEOUT: '2' } });
  admin = await createAdmin(t);
  user = await register(t.app);
  serverId = await addSimulatorServer(t, admin, sim);
  const other = await fastSimulator({ nodes: 1 });
  goneServerId = await addSimulatorServer(t, admin, other, 'Gone');
  await other.close();
  // A plain VM, cloned from a template: it exists but is no template.
  const { client } = await t.services.servers.clientFor(serverId);
  try {
    const upid = await client.clone('pve1', 9000, { newid: 150, name: 'plain-vm' });
    expect((await sim.control.waitForTask(upid))?.exitstatus).toBe('OK');
  } finally {
    await client.close();
  }
});
afterAll(async () => {
  await t?.close();
  await tdb?.drop();
  await sim?.close();
});

let seq = 0;
function body(over: Record<string, unknown> = {}) {
  seq++;
  return {
    name: `Debian 12 #${seq}`,
    description: 'A small Debian',
    osLabel: 'Debian 12',
    osIcon: 'debian',
    defaults: { cores: 2, memoryMib: 2048, diskGib: 10 },
    bounds: { minCores: 1, maxCores: 8, minMemoryMib: 512, maxMemoryMib: 16384, maxDiskGib: 200 },
    cloudInit: true,
    priceRunningPerHour: 500,
    priceStoppedPerHour: 100,
    visibility: 'public',
    sources: [{ serverId, node: 'pve1', vmid: 9000 }],
    ...over,
  };
}

async function create(over: Record<string, unknown> = {}) {
  const res = await api('POST', '/admin/templates', body(over));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const auditOf = async (targetId: string, action: 'template.created' | 'template.updated' | 'template.deleted') =>
  (await t.services.audit.search({ page: 1, pageSize: 50, targetId, action })).items;

const fieldsOf = (res: { json(): { error: { details?: { fields?: { path: string; message: string }[] } } } }) =>
  res.json().error.details?.fields ?? [];

describe('creating, reading, changing and deleting templates', () => {
  it('creates a template from confirmed sources, and audits it', async () => {
    const res = await api(
      'POST',
      '/admin/templates',
      body({
        name: 'Debian 12',
        sources: [
          { serverId, node: 'pve1', vmid: 9000 },
          { serverId, node: 'pve2', vmid: 9100, cloneMode: 'full', storage: 'local-lvm' },
        ],
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const tpl = res.json();
    expect(tpl).toMatchObject({
      name: 'Debian 12',
      osIcon: 'debian',
      defaults: { cores: 2, memoryMib: 2048, diskGib: 10 },
      priceRunningPerHour: 500,
      priceStoppedPerHour: 100,
      visibility: 'public',
      cloudInit: true,
      vmCount: 0,
    });
    expect(tpl.sources).toEqual([
      expect.objectContaining({ serverName: 'Sim', node: 'pve1', vmid: 9000, cloneMode: 'linked', storage: null }),
      expect.objectContaining({ serverName: 'Sim', node: 'pve2', vmid: 9100, cloneMode: 'full', storage: 'local-lvm' }),
    ]);
    const [entry] = await auditOf(tpl.id, 'template.created');
    expect(entry).toMatchObject({ actorId: admin.userId, targetType: 'template' });
    expect(entry!.details).toMatchObject({ after: { name: 'Debian 12', sources: [{ vmid: 9000 }, { vmid: 9100 }] } });

    expect((await api('GET', `/admin/templates/${tpl.id}`)).json()).toEqual(tpl);
    const list = (await api('GET', '/admin/templates')).json().items;
    expect(list.map((x: { id: string }) => x.id)).toContain(tpl.id);
  });

  it('takes defaults for what is left out: linked clones, no price, public, not cloud-init', async () => {
    const res = await api('POST', '/admin/templates', {
      name: 'Minimal',
      osLabel: 'Linux',
      defaults: { cores: 1, memoryMib: 1024, diskGib: 5 },
      bounds: { minCores: 1, maxCores: 2, minMemoryMib: 512, maxMemoryMib: 2048, maxDiskGib: 20 },
      sources: [{ serverId, node: 'pve1', vmid: 9001 }],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      description: '',
      osIcon: 'linux',
      cloudInit: false,
      priceRunningPerHour: 0,
      priceStoppedPerHour: 0,
      visibility: 'public',
      sources: [{ cloneMode: 'linked', storage: null }],
    });
  });

  it('replaces the settings on update, keeps unchanged sources, and audits before and after', async () => {
    const tpl = await create();
    const res = await api(
      'PUT',
      `/admin/templates/${tpl.id}`,
      body({
        name: tpl.name,
        priceRunningPerHour: 1234,
        visibility: 'admin',
        sources: [
          { serverId, node: 'pve1', vmid: 9000 },
          { serverId, node: 'pve2', vmid: 9101 },
        ],
      }),
    );
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json();
    expect(after).toMatchObject({ priceRunningPerHour: 1234, visibility: 'admin' });
    expect(after.sources.map((s: { node: string; vmid: number }) => `${s.node}/${s.vmid}`)).toEqual([
      'pve1/9000',
      'pve2/9101',
    ]);
    // The pve1 source stayed where it was: same id.
    expect(after.sources[0].id).toBe(tpl.sources[0].id);
    const [entry] = await auditOf(tpl.id, 'template.updated');
    expect(entry!.details).toMatchObject({
      before: { priceRunningPerHour: 500, visibility: 'public', sources: [{ node: 'pve1' }] },
      after: { priceRunningPerHour: 1234, visibility: 'admin', sources: [{ node: 'pve1' }, { node: 'pve2' }] },
    });

    const dropped = await api('PUT', `/admin/templates/${tpl.id}`, body({ name: tpl.name }));
    expect(dropped.json().sources).toHaveLength(1);
    expect((await api('PUT', `/admin/templates/${randomUUID()}`, body())).statusCode).toBe(404);
  });

  it('deletes an unused template, and audits it', async () => {
    const tpl = await create();
    expect((await api('DELETE', `/admin/templates/${tpl.id}`)).statusCode).toBe(204);
    expect((await api('GET', `/admin/templates/${tpl.id}`)).statusCode).toBe(404);
    expect((await api('DELETE', `/admin/templates/${tpl.id}`)).statusCode).toBe(404);
    const [entry] = await auditOf(tpl.id, 'template.deleted');
    expect(entry!.details).toMatchObject({ before: { name: tpl.name } });
  });

  it('refuses to delete a template VMs still use, and says to disable it instead', async () => {
    const tpl = await create();
    const vmId = randomUUID();
    await tdb.database.db.insert(vms).values({
      id: vmId,
      ownerId: user.userId,
      templateId: tpl.id,
      name: 'in-use',
      cores: 2,
      memoryMib: 2048,
      diskGib: 10,
      status: 'active',
    });
    expect((await api('GET', `/admin/templates/${tpl.id}`)).json().vmCount).toBe(1);
    const res = await api('DELETE', `/admin/templates/${tpl.id}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'TEMPLATE_IN_USE', details: { vmCount: 1 } });
    expect(res.json().error.message).toMatch(/disable/);
    expect(await auditOf(tpl.id, 'template.deleted')).toEqual([]);

    // A deleted VM no longer holds the template.
    await tdb.database.db.update(vms).set({ status: 'deleted' }).where(eq(vms.id, vmId));
    expect((await api('GET', `/admin/templates/${tpl.id}`)).json().vmCount).toBe(0);
    expect((await api('DELETE', `/admin/templates/${tpl.id}`)).statusCode).toBe(204);
  });

  it('refuses a name that is taken, on create and on update', async () => {
    const a = await create();
    const b = await create();
    const dup = await api('POST', '/admin/templates', body({ name: a.name }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('NAME_TAKEN');
    expect(fieldsOf(dup)).toEqual([expect.objectContaining({ path: 'name' })]);
    const rename = await api('PUT', `/admin/templates/${b.id}`, body({ name: a.name }));
    expect(rename.statusCode).toBe(409);
    expect(fieldsOf(rename)[0]!.path).toBe('name');
  });
});

describe('checking sources on Proxmox', () => {
  const refused = async (sources: unknown[], over: Record<string, unknown> = {}) => {
    const res = await api('POST', '/admin/templates', body({ sources, ...over }));
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.code).toBe('TEMPLATE_SOURCE_INVALID');
    return fieldsOf(res);
  };

  it('refuses a VM that is not a template', async () => {
    expect(await refused([{ serverId, node: 'pve1', vmid: 150 }])).toEqual([
      { path: 'sources.0.vmid', message: 'VM 150 on pve1 is not a template' },
    ]);
  });

  it('refuses a VMID that is not on that node, or a node that does not exist', async () => {
    expect(
      await refused([
        { serverId, node: 'pve2', vmid: 9100 },
        { serverId, node: 'pve1', vmid: 9100 },
      ]),
    ).toEqual([{ path: 'sources.1.vmid', message: 'No VM 9100 on node pve1' }]);
    expect(await refused([{ serverId, node: 'pve9', vmid: 9000 }])).toEqual([
      { path: 'sources.0.node', message: 'No node pve9 on server Sim' },
    ]);
  });

  it('refuses a server that does not exist or cannot be reached', async () => {
    expect(await refused([{ serverId: randomUUID(), node: 'pve1', vmid: 9000 }])).toEqual([
      { path: 'sources.0.serverId', message: 'No server with this id' },
    ]);
    const [gone] = await refused([{ serverId: goneServerId, node: 'pve1', vmid: 9000 }]);
    expect(gone!.path).toBe('sources.0.vmid');
    expect(gone!.message).toMatch(/^Server Gone cannot be reached: /);
  });

  it('refuses a source on a node that is offline', async () => {
    sim.control.setNodeOffline('pve2', 'refuse');
    try {
      const [f] = await refused([{ serverId, node: 'pve2', vmid: 9100 }]);
      expect(f).toMatchObject({
        path: 'sources.0.vmid',
        message: expect.stringMatching(/^Server Sim cannot be reached/),
      });
    } finally {
      sim.control.setNodeOnline('pve2');
    }
  });

  it('reports every bad source at once', async () => {
    const fields = await refused([
      { serverId, node: 'pve1', vmid: 150 },
      { serverId, node: 'pve2', vmid: 9100, cloneMode: 'full', storage: 'nowhere' },
      { serverId: goneServerId, node: 'pve1', vmid: 9000 },
    ]);
    expect(fields.map((f) => f.path)).toEqual(['sources.0.vmid', 'sources.1.storage', 'sources.2.vmid']);
  });

  it('checks the target storage of full clones', async () => {
    const full = (storage: string) => [{ serverId, node: 'pve1', vmid: 9000, cloneMode: 'full', storage }];
    expect(await refused(full('nowhere'))).toEqual([
      { path: 'sources.0.storage', message: 'No storage nowhere on node pve1' },
    ]);
    expect(await refused(full('local'))).toEqual([
      { path: 'sources.0.storage', message: 'Storage local on pve1 cannot hold VM disks' },
    ]);
    expect((await api('POST', '/admin/templates', body({ sources: full('shared') }))).statusCode).toBe(201);
  });

  it('refuses a default disk smaller than the template’s disk', async () => {
    // alma-9 has a 20 GiB disk.
    const fields = await refused([{ serverId, node: 'pve1', vmid: 9002 }], {
      defaults: { cores: 2, memoryMib: 2048, diskGib: 10 },
    });
    expect(fields).toEqual([{ path: 'defaults.diskGib', message: expect.stringContaining('20 GiB') }]);
  });

  it('lets an admin change a template whose server is down, but not add a source there', async () => {
    const tpl = await create({ sources: [{ serverId, node: 'pve2', vmid: 9100 }] });
    sim.control.setNodeOffline('pve2', 'refuse');
    try {
      const disable = await api(
        'PUT',
        `/admin/templates/${tpl.id}`,
        body({ name: tpl.name, ...{ sources: [{ serverId, node: 'pve2', vmid: 9100 }] }, visibility: 'disabled' }),
      );
      expect(disable.statusCode, disable.body).toBe(200);
      const changed = await api(
        'PUT',
        `/admin/templates/${tpl.id}`,
        body({ name: tpl.name, sources: [{ serverId, node: 'pve2', vmid: 9101 }] }),
      );
      expect(changed.statusCode).toBe(422);
      expect(fieldsOf(changed)[0]!.path).toBe('sources.0.vmid');
    } finally {
      sim.control.setNodeOnline('pve2');
    }
  });
});

describe('validation', () => {
  const bad = async (payload: unknown, path?: string) => {
    const res = await api('POST', '/admin/templates', payload);
    expect(res.statusCode, res.body).toBe(400);
    if (path) expect(fieldsOf(res).map((f) => f.path)).toContain(path);
    return res;
  };
  const bounds = { minCores: 1, maxCores: 8, minMemoryMib: 512, maxMemoryMib: 16384, maxDiskGib: 200 };

  it('keeps the defaults within the bounds', async () => {
    await bad(body({ defaults: { cores: 16, memoryMib: 2048, diskGib: 10 } }), 'defaults.cores');
    await bad(body({ defaults: { cores: 2, memoryMib: 256, diskGib: 10 } }), 'defaults.memoryMib');
    await bad(body({ defaults: { cores: 2, memoryMib: 2048, diskGib: 300 } }), 'bounds.maxDiskGib');
    await bad(body({ bounds: { ...bounds, minCores: 8, maxCores: 4 } }), 'bounds.maxCores');
    await bad(body({ bounds: { ...bounds, minMemoryMib: 4096, maxMemoryMib: 1024 } }), 'bounds.maxMemoryMib');
    await bad(body({ defaults: { cores: 2, memoryMib: 2000, diskGib: 10 } }), 'defaults.memoryMib');
  });

  it('answers 400, never 500, to huge or wrongly typed values', async () => {
    await bad(body({ defaults: { cores: 1e12, memoryMib: 2048, diskGib: 10 } }), 'defaults.cores');
    await bad(body({ defaults: { cores: '2', memoryMib: 2048, diskGib: 10 } }), 'defaults.cores');
    await bad(body({ defaults: { cores: 2.5, memoryMib: 2048, diskGib: 10 } }), 'defaults.cores');
    await bad(body({ priceRunningPerHour: 1e20 }), 'priceRunningPerHour');
    await bad(body({ priceRunningPerHour: -1 }), 'priceRunningPerHour');
    await bad(body({ priceStoppedPerHour: 0.5 }), 'priceStoppedPerHour');
    await bad(body({ priceRunningPerHour: '500' }), 'priceRunningPerHour');
    await bad(body({ name: 'x'.repeat(10_000) }), 'name');
    await bad(body({ name: '   ' }), 'name');
    await bad(body({ visibility: 'everyone' }), 'visibility');
    await bad(body({ osIcon: 'beos' }), 'osIcon');
    await bad(body({ sources: [] }), 'sources');
    await bad(body({ sources: 'pve1' }), 'sources');
    await bad(body({ sources: [{ serverId: 'not-a-uuid', node: 'pve1', vmid: 9000 }] }), 'sources.0.serverId');
    await bad(body({ sources: [{ serverId, node: 'pve1', vmid: '9000' }] }), 'sources.0.vmid');
    await bad(body({ sources: [{ serverId, node: 'pve1', vmid: 1e15 }] }), 'sources.0.vmid');
    await bad(body({ sources: [{ serverId, node: '../etc', vmid: 9000 }] }), 'sources.0.node');
    await bad(
      body({ sources: [{ serverId, node: 'pve1', vmid: 9000, cloneMode: 'linked', storage: 'shared' }] }),
      'sources.0.storage',
    );
    await bad(
      body({
        sources: [
          { serverId, node: 'pve1', vmid: 9000 },
          { serverId, node: 'pve1', vmid: 9001 },
        ],
      }),
      'sources.1.node',
    );
    await bad(body({ sources: Array.from({ length: 33 }, () => ({ serverId, node: 'pve1', vmid: 9000 })) }), 'sources');
    await bad(null);
    await bad([]);
    const notJson = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/templates',
      headers: { ...auth(admin), 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(notJson.statusCode).toBe(400);
    expect((await api('GET', '/admin/templates/not-a-uuid')).statusCode).toBe(400);
    expect((await api('GET', '/templates/not-a-uuid', undefined, user)).statusCode).toBe(400);
  });
});

describe('the catalog', () => {
  let pub: { id: string };
  let adminOnly: { id: string };
  let disabled: { id: string };
  beforeAll(async () => {
    pub = await create({ visibility: 'public' });
    adminOnly = await create({ visibility: 'admin' });
    disabled = await create({ visibility: 'disabled' });
  });
  const ids = async (who: Client) =>
    ((await api('GET', '/templates', undefined, who)).json().items as { id: string }[]).map((x) => x.id);

  it('shows users the public templates only, without Proxmox details', async () => {
    const res = await api('GET', '/templates', undefined, user);
    expect(res.statusCode).toBe(200);
    const mine = res.json().items as Record<string, unknown>[];
    expect(mine.map((x) => x.id)).toContain(pub.id);
    expect(mine.map((x) => x.id)).not.toContain(adminOnly.id);
    expect(mine.map((x) => x.id)).not.toContain(disabled.id);
    expect(mine.every((x) => x.visibility === 'public')).toBe(true);
    const one = mine.find((x) => x.id === pub.id)!;
    expect(one).toMatchObject({ available: true, priceRunningPerHour: 500, defaults: { cores: 2 } });
    expect(one).not.toHaveProperty('sources');
    expect(one).not.toHaveProperty('vmCount');
  });

  it('shows admins the admin-only templates too, and nobody the disabled ones', async () => {
    const theirs = await ids(admin);
    expect(theirs).toEqual(expect.arrayContaining([pub.id, adminOnly.id]));
    expect(theirs).not.toContain(disabled.id);
  });

  it('answers 404 for a template the caller cannot see', async () => {
    expect((await api('GET', `/templates/${pub.id}`, undefined, user)).json()).toMatchObject({ id: pub.id });
    expect((await api('GET', `/templates/${adminOnly.id}`, undefined, user)).statusCode).toBe(404);
    expect((await api('GET', `/templates/${adminOnly.id}`, undefined, admin)).statusCode).toBe(200);
    expect((await api('GET', `/templates/${disabled.id}`, undefined, admin)).statusCode).toBe(404);
    expect((await api('GET', `/templates/${randomUUID()}`, undefined, user)).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/templates' })).statusCode).toBe(401);
  });

  it('says a template is unavailable while none of its servers can take a VM', async () => {
    const available = async () =>
      ((await api('GET', `/templates/${pub.id}`, undefined, user)).json() as { available: boolean }).available;
    expect(await available()).toBe(true);
    expect((await api('PATCH', `/admin/servers/${serverId}`, { maintenance: true })).statusCode).toBe(200);
    expect(await available()).toBe(false);
    expect((await api('PATCH', `/admin/servers/${serverId}`, { maintenance: false, enabled: false })).statusCode).toBe(
      200,
    );
    expect(await available()).toBe(false);
    expect((await api('PATCH', `/admin/servers/${serverId}`, { enabled: true })).statusCode).toBe(200);
    expect(await available()).toBe(true);
    const onGone = await create({ sources: [{ serverId, node: 'pve1', vmid: 9000 }] });
    // The monitor finds the node offline: no VM can be cloned there.
    sim.control.setNodeOffline('pve1', 'refuse');
    try {
      await t.services.monitoring.runCycle();
      const item = (await api('GET', `/templates/${onGone.id}`, undefined, user)).json();
      expect(item.available).toBe(false);
    } finally {
      sim.control.setNodeOnline('pve1');
      await t.services.monitoring.runCycle();
    }
    expect((await api('GET', `/templates/${onGone.id}`, undefined, user)).json().available).toBe(true);
  });

  it('hands the VM service what it needs, to whom may have it', async () => {
    const forUser = { userId: user.userId, role: 'user' as const };
    const got = await t.services.templates.getForCreate(forUser, pub.id);
    expect(got.template).toMatchObject({ id: pub.id, cores: 2, priceRunningPerHour: 500 });
    expect(got.sources).toEqual([
      expect.objectContaining({ serverId, serverName: 'Sim', node: 'pve1', vmid: 9000, cloneMode: 'linked' }),
    ]);
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: unknown) => (e instanceof AppError ? e.code : String(e)),
      );
    expect(await codeOf(t.services.templates.getForCreate(forUser, adminOnly.id))).toBe('NOT_FOUND');
    expect(await codeOf(t.services.templates.getForCreate(forUser, randomUUID()))).toBe('NOT_FOUND');
    expect(await codeOf(t.services.templates.getForCreate(forUser, disabled.id))).toBe('TEMPLATE_UNAVAILABLE');
    const forAdmin = { userId: admin.userId, role: 'admin' as const };
    expect((await t.services.templates.getForCreate(forAdmin, adminOnly.id)).template.id).toBe(adminOnly.id);
    expect(await codeOf(t.services.templates.getForCreate(forAdmin, disabled.id))).toBe('TEMPLATE_UNAVAILABLE');
  });
});

describe('the Proxmox template picker', () => {
  it('lists the template VMs of a server with their sizes, and the storages for full clones', async () => {
    const res = await api('GET', `/admin/servers/${serverId}/templates`);
    expect(res.statusCode, res.body).toBe(200);
    const { items, storages } = res.json();
    expect(items.map((i: { node: string; vmid: number }) => `${i.node}/${i.vmid}`)).toEqual([
      'pve1/9000',
      'pve1/9001',
      'pve1/9002',
      'pve2/9100',
      'pve2/9101',
      'pve2/9102',
    ]);
    expect(items[0]).toEqual({
      node: 'pve1',
      vmid: 9000,
      name: 'debian-12-cloud',
      maxdisk: 3 * 1024 ** 3,
      maxmem: 2048 * 1024 ** 2,
      maxcpu: 2,
    });
    expect(storages).toEqual(
      expect.arrayContaining([
        { node: 'pve1', storage: 'local-lvm', shared: false },
        { node: 'pve1', storage: 'shared', shared: true },
      ]),
    );
    expect(storages.some((s: { storage: string }) => s.storage === 'local')).toBe(false);
  });

  it('answers 502 with a clear message when the server cannot be reached, 404 when there is none', async () => {
    const res = await api('GET', `/admin/servers/${goneServerId}/templates`);
    expect(res.statusCode).toBe(502);
    expect(res.json().error).toMatchObject({
      code: 'PROXMOX_UNAVAILABLE',
      message: expect.stringMatching(/^Server Gone cannot be reached: /),
    });
    expect((await api('GET', `/admin/servers/${randomUUID()}/templates`)).statusCode).toBe(404);
  });
});

describe('access', () => {
  it('refuses every admin route to a user', async () => {
    const tpl = await create();
    const routes: ['GET' | 'POST' | 'PUT' | 'DELETE', string, unknown?][] = [
      ['GET', '/admin/templates'],
      ['POST', '/admin/templates', body()],
      ['GET', `/admin/templates/${tpl.id}`],
      ['PUT', `/admin/templates/${tpl.id}`, body({ name: tpl.name })],
      ['DELETE', `/admin/templates/${tpl.id}`],
      ['GET', `/admin/servers/${serverId}/templates`],
    ];
    for (const [method, url, payload] of routes) {
      const res = await api(method, url, payload, user);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await api('GET', `/admin/templates/${tpl.id}`)).statusCode).toBe(200);
  });
});
