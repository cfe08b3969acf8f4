/** Transport, envelope and error shapes, authentication, permissions, nextid. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PveClient, startTestSim, type Reply, type TestSim } from './testing/harness.js';

let t: TestSim;
beforeAll(async () => {
  t = await startTestSim();
});
afterAll(async () => {
  await t?.sim.close();
});

describe('envelope and transport', () => {
  it('answers {"data":…} with the exact content type', async () => {
    const r = await t.api.get('/version');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(Object.keys(r.json ?? {})).toEqual(['data']);
    expect(r.json?.data).toMatchObject({ release: '9.1', version: expect.stringMatching(/^9\.1\./) });
  });

  it('puts the first line of the message in the reason phrase and the body', async () => {
    const r = await t.api.get('/nodes/pve1/qemu/999/config');
    expect(r.status).toBe(500);
    expect(r.statusText).toBe("Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist");
    expect(r.json).toEqual({
      data: null,
      message: "Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist\n",
    });
  });

  it('answers unknown methods and paths with 501 not implemented', async () => {
    const r = await t.api.get('/nodes/pve1/lxc');
    expect(r.status).toBe(501);
    expect(r.json).toEqual({ data: null, message: "Method 'GET /nodes/pve1/lxc' not implemented" });
  });

  it('refuses a body on GET and DELETE', async () => {
    const r = await t.api.request('GET', '/version', {
      rawBody: 'a=1',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(r.status).toBe(501);
    expect(r.statusText).toBe("Unexpected content for method 'GET'");
    const d = await t.api.request('DELETE', '/nodes/pve1/qemu/9000', { rawBody: 'x=1' });
    expect(d.statusText).toBe("Unexpected content for method 'DELETE'");
  });

  it('verifies parameters with Proxmox texts', async () => {
    const r = await t.api.request('POST', '/nodes/pve1/qemu/9000/clone', {
      body: { newid: 99, bogus: 1, full: 'yes' },
    });
    expect(r.status).toBe(400);
    expect(r.statusText).toBe('Parameter verification failed.');
    expect(r.json).toEqual({
      data: null,
      message: 'Parameter verification failed.\n',
      errors: {
        newid: 'invalid format - value does not look like a valid VM ID\n',
        bogus: 'property is not defined in schema and the schema does not allow additional properties',
        full: "type check ('boolean') failed - got 'yes'",
      },
    });
    const missing = await t.api.post('/nodes/pve1/qemu/9000/clone', {});
    expect(missing.json?.errors).toEqual({ newid: 'property is missing and it is not optional' });
    const min = await t.api.put('/nodes/pve1/qemu/9000/config', { cores: 0 });
    expect(min.json?.errors).toEqual({ cores: 'value must have a minimum value of 1' });
  });

  it('takes JSON bodies, lets the query override the body, accepts JSON booleans', async () => {
    const r = await t.api.request('PUT', '/nodes/pve1/qemu/9001/config', {
      body: { description: 'from body', onboot: true },
      json: true,
      query: { description: 'from query' },
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ data: null });
    const conf = await t.api.data<Record<string, unknown>>(t.api.get('/nodes/pve1/qemu/9001/config'));
    expect(conf.description).toBe('from query');
    expect(conf.onboot).toBe(1);
  });

  it('rejects a path parameter that conflicts with the query', async () => {
    const r = await t.api.get('/nodes/pve1/qemu/9000/config', { vmid: 9001 });
    expect(r.status).toBe(400);
    expect(r.json?.errors).toEqual({ vmid: 'duplicate parameter (already defined in URI) with conflicting values!' });
  });

  it('sends total where Proxmox does', async () => {
    const r = await t.api.get('/nodes/pve1/tasks', { source: 'all' });
    expect(r.status).toBe(200);
    expect(Array.isArray(r.json?.data)).toBe(true);
  });
});

describe('authentication', () => {
  it('answers 401 "No ticket" with an empty body without credentials', async () => {
    const r = await t.anon.get('/nodes');
    expect(r.status).toBe(401);
    expect(r.statusText).toBe('No ticket');
    expect(r.text).toBe('');
  });

  it('rejects a wrong token secret and accepts the space separator and URI escapes', async () => {
    const bad = await t.api.withAuth({ token: `PVEAPIToken=${t.sim.tokens.admin.id}=nope` }).get('/version');
    expect(bad.status).toBe(401);
    expect(bad.statusText).toBe('Authentication failed!');
    const spaced = await t.api
      .withAuth({ token: `PVEAPIToken ${t.sim.tokens.admin.id}=${t.sim.tokens.admin.secret}` })
      .get('/version');
    expect(spaced.status).toBe(200);
    const escaped = await t.api
      .withAuth({ token: `PVEAPIToken=${encodeURIComponent(t.sim.tokens.admin.id)}=${t.sim.tokens.admin.secret}` })
      .get('/version');
    expect(escaped.status).toBe(200);
  });

  it('logs in with a ticket, needs the CSRF token on writes, refuses tokens on the login', async () => {
    const wrong = await t.anon.post('/access/ticket', { username: 'root@pam', password: 'wrong' });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({ data: null, message: 'authentication failure\n' });

    const login = await t.anon.data<Record<string, unknown>>(
      t.anon.post('/access/ticket', { username: 'root', realm: 'pam', password: t.sim.rootPassword }),
    );
    expect(login.username).toBe('root@pam');
    expect(login.ticket).toMatch(/^PVE:root@pam:[0-9A-F]{8}::\S+$/);
    expect(login.CSRFPreventionToken).toMatch(/^[0-9A-F]{8}:\S+$/);
    expect(login.clustername).toBe('uni-cluster');
    expect(login.cap).toHaveProperty('vms');

    const withTicket = new PveClient(t.sim, { ticket: login.ticket as string });
    expect((await withTicket.get('/cluster/resources')).status).toBe(200);
    const noCsrf = await withTicket.put('/nodes/pve1/qemu/9000/config', { description: 'x' });
    expect(noCsrf.status).toBe(401);
    expect(noCsrf.statusText).toBe('Permission denied - invalid csrf token');
    const csrf = withTicket.withAuth({ ticket: login.ticket as string, csrf: login.CSRFPreventionToken as string });
    expect((await csrf.put('/nodes/pve1/qemu/9000/config', { description: 'x' })).status).toBe(200);

    const tokenLogin = await t.api.post('/access/ticket', { username: 'root@pam', password: t.sim.rootPassword });
    expect(tokenLogin.status).toBe(403);
    expect(tokenLogin.statusText).toBe(
      "Permission check failed (URI '/access/ticket' not available with API token, need proper ticket.",
    );
  });

  it('rejects a forged ticket', async () => {
    const forged = new PveClient(t.sim, { ticket: 'PVE:root@pam:6543210A::c2lnbmF0dXJl' });
    const r = await forged.get('/version');
    expect(r.status).toBe(401);
    expect(r.statusText).toBe('Authentication failed!');
  });
});

describe('permissions of the read-only token', () => {
  it('reads', async () => {
    expect((await t.audit.get('/cluster/resources')).status).toBe(200);
    expect((await t.audit.get('/nodes/pve1/qemu/9000/config')).status).toBe(200);
  });

  it('gets 403 with path and privilege on writes', async () => {
    const cases: [Promise<Reply>, string][] = [
      [t.audit.post('/nodes/pve1/qemu/9000/status/start'), '/vms/9000, VM.PowerMgmt'],
      [t.audit.post('/nodes/pve1/qemu/9000/clone', { newid: 500 }), '/vms/9000, VM.Clone'],
      [t.audit.del('/nodes/pve1/qemu/9000'), '/vms/9000, VM.Allocate'],
      [t.audit.post('/nodes/pve1/qemu', { vmid: 501 }), '/vms/501, VM.Allocate'],
      [t.audit.put('/nodes/pve1/qemu/9000/resize', { disk: 'scsi0', size: '+1G' }), '/vms/9000, VM.Config.Disk'],
      [
        t.audit.put('/nodes/pve1/qemu/9000/config', { cores: 2 }),
        '/vms/9000, VM.Config.Disk|VM.Config.CDROM|VM.Config.CPU|VM.Config.Memory|VM.Config.Network|VM.Config.HWType|VM.Config.Options|VM.Config.Cloudinit',
      ],
      [
        t.audit.post('/nodes/pve1/storage/local-lvm/content', { vmid: 100, filename: 'vm-100-disk-9', size: '1G' }),
        '/storage/local-lvm, Datastore.AllocateSpace',
      ],
      [t.audit.post('/nodes/pve1/qemu/9000/vncproxy', { websocket: 1 }), '/vms/9000, VM.Console'],
    ];
    for (const [promise, what] of cases) {
      const r = await promise;
      expect(r.status, what).toBe(403);
      expect(r.json?.message).toBe(`Permission check failed (${what})\n`);
    }
  });
});

describe('effective permissions', () => {
  it('tells each token what it may do, and an auditor alone what others may', async () => {
    const admin = (await t.api.get('/access/permissions', { path: '/' })).json?.data as Record<
      string,
      Record<string, number>
    >;
    expect(admin['/']).toMatchObject({ 'VM.Allocate': 1, 'VM.PowerMgmt': 1, 'Datastore.AllocateSpace': 1 });
    const ro = (await t.audit.get('/access/permissions')).json?.data as Record<string, Record<string, number>>;
    expect(ro['/']?.['VM.Audit']).toBe(1);
    expect(ro['/']?.['VM.Allocate']).toBeUndefined();
    // The auditor role holds Sys.Audit, so it may read the admin token's privileges.
    const other = await t.audit.get('/access/permissions', { userid: t.sim.tokens.admin.id });
    expect(other.status).toBe(200);
    expect((await t.api.get('/access/permissions', { userid: 'not a user id' })).status).toBe(400);
  });
});

describe('nextid', () => {
  it('returns the first free VMID as a string, or the requested one when free', async () => {
    expect(await t.api.data(t.api.get('/cluster/nextid'))).toBe('100');
    expect(await t.api.data(t.api.get('/cluster/nextid', { vmid: 4242 }))).toBe('4242');
  });

  it('answers 400 when the requested VMID exists', async () => {
    const r = await t.api.get('/cluster/nextid', { vmid: 9000 });
    expect(r.status).toBe(400);
    expect(r.json?.errors).toEqual({ vmid: 'VM 9000 already exists' });
  });
});

describe('cluster views', () => {
  it('lists nodes with fingerprint and usage, resources per type', async () => {
    const nodes = await t.api.data<Record<string, unknown>[]>(t.api.get('/nodes'));
    expect(nodes.map((n) => n.node)).toEqual(['pve1', 'pve2']);
    expect(nodes[0]).toMatchObject({ status: 'online', ssl_fingerprint: t.sim.fingerprint, maxcpu: 16 });
    const vms = await t.api.data<Record<string, unknown>[]>(t.api.get('/cluster/resources', { type: 'vm' }));
    expect(vms.find((v) => v.vmid === 9000)).toMatchObject({
      id: 'qemu/9000',
      type: 'qemu',
      node: 'pve1',
      name: 'debian-12-cloud',
      status: 'stopped',
      template: 1,
      disk: 0,
    });
    expect(vms.some((v) => v.vmid === 9100 && v.node === 'pve2')).toBe(true);
    const storage = await t.api.data<Record<string, unknown>[]>(t.api.get('/cluster/resources', { type: 'storage' }));
    expect(storage.map((s) => s.id)).toContain('storage/pve1/local-lvm');
    const status = await t.api.data<Record<string, unknown>[]>(t.api.get('/cluster/status'));
    expect(status[0]).toMatchObject({ type: 'cluster', quorate: 1, nodes: 2 });
  });

  it('reports node status with memory, load and versions', async () => {
    const s = await t.api.data<Record<string, unknown>>(t.api.get('/nodes/pve1/status'));
    expect(s).toMatchObject({ memory: { total: expect.any(Number) }, cpuinfo: { cpus: 16 } });
    expect(s.loadavg).toHaveLength(3);
    expect(s.pveversion).toMatch(/^pve-manager\/9\.1/);
  });

  it('gives a name lookup error for an unknown node', async () => {
    const r = await t.api.get('/nodes/nosuch/qemu');
    expect(r.status).toBe(500);
    expect(r.json?.message).toMatch(/^hostname lookup 'nosuch' failed/);
  });

  it('lists storage content', async () => {
    const iso = await t.api.data<Record<string, unknown>[]>(
      t.api.get('/nodes/pve1/storage/local/content', { content: 'iso' }),
    );
    expect(iso.length).toBeGreaterThan(0);
    expect(iso[0]).toMatchObject({ content: 'iso', format: 'iso' });
    const images = await t.api.data<Record<string, unknown>[]>(t.api.get('/nodes/pve1/storage/local-lvm/content'));
    expect(images.map((i) => i.volid)).toContain('local-lvm:base-9000-disk-0');
  });
});

describe('tasks', () => {
  it('shows token tasks as user plus tokenid, and answers unknown UPIDs like Proxmox', async () => {
    const upid = await t.api.data<string>(t.api.post('/nodes/pve1/qemu/9001/clone', { newid: 130, full: 1 }));
    expect(upid).toMatch(/:qmclone:9001:root@pam!uni-manager:$/);
    const running = await t.api.data<Record<string, unknown>[]>(t.api.get('/nodes/pve1/tasks', { source: 'active' }));
    expect(running.find((x) => x.upid === upid)).toMatchObject({
      status: 'RUNNING',
      user: 'root@pam',
      tokenid: 'uni-manager',
    });
    const st = await t.api.waitTask(upid);
    expect(st).toMatchObject({
      status: 'stopped',
      exitstatus: 'OK',
      user: 'root@pam',
      tokenid: 'uni-manager',
      type: 'qmclone',
      id: '9001',
    });
    const list = t.api.get('/nodes/pve1/tasks', { vmid: 9001, typefilter: 'qmclone' });
    expect((await list).json?.total).toBeGreaterThanOrEqual(1);
    const unknown = await t.api.get(
      `/nodes/pve1/tasks/${encodeURIComponent(upid.replace('qmclone', 'qmstart'))}/status`,
    );
    expect(unknown.json?.errors).toEqual({ upid: 'no such task' });
    const elsewhere = await t.api.get(`/nodes/pve2/tasks/${encodeURIComponent(upid)}/status`);
    expect(elsewhere.json?.errors).toEqual({ upid: 'no such task' });
    const garbage = await t.api.get('/nodes/pve1/tasks/UPID:nonsense/status');
    expect(garbage.json?.errors).toEqual({ upid: 'unable to parse worker upid' });
    // The auditor sees other users' tasks through Sys.Audit, but may not stop them.
    expect((await t.audit.get(`/nodes/pve1/tasks/${encodeURIComponent(upid)}/status`)).status).toBe(200);
    expect((await t.audit.del(`/nodes/pve1/tasks/${encodeURIComponent(upid)}`)).json?.message).toBe(
      'Permission check failed (/nodes/pve1, Sys.Modify)\n',
    );
  });
});
