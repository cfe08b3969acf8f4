/**
 * The browser console end to end: a ticket from the API, a websocket to the
 * API listening on a real port, the API's own vncproxy + vncwebsocket to the
 * simulator over HTTPS, and a real RFB session through it.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { RunningSimulator } from '@uni-manager/pve-sim';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { consoleTickets, vms } from '../../db/schema/index.js';
import { waitForTask } from '../../integrations/proxmox/tasks.js';
import { connectTrusted } from '../../integrations/proxmox/vnc-socket.js';
import {
  auth,
  buildTestApp,
  createAdmin,
  createTestDatabase,
  manualClock,
  register,
  type Client,
  type TestApp,
  type TestDatabase,
} from '../../test/harness.js';
import { addSimulatorServer, fastSimulator } from '../../test/vm-fixtures.js';
import { vncAuthResponse } from './rfb.js';

let sim: RunningSimulator;
let tdb: TestDatabase;
let t: TestApp;
let admin: Client;
let owner: Client;
let other: Client;
let serverId: string;
let origin: string;
const logs: string[] = [];
const clock = manualClock(new Date());
const node = 'pve1';

/** VM rows by name: the running one most tests use, and others for the edge cases. */
const vmIds: Record<'running' | 'stopping' | 'stopped' | 'provisioning', string> = {
  running: '',
  stopping: '',
  stopped: '',
  provisioning: '',
};

async function cloneAndStart(vmid: number, name: string, start: boolean) {
  const { client } = await t.services.servers.clientFor(serverId);
  try {
    const clone = await client.clone(node, 9000, { newid: vmid, name });
    expect((await waitForTask(client, clone, { deadlineMs: 20_000, pollMs: 20 })).ok).toBe(true);
    if (start) {
      const up = await client.power(node, vmid, 'start');
      expect((await waitForTask(client, up, { deadlineMs: 20_000, pollMs: 20 })).ok).toBe(true);
    }
  } finally {
    await client.close();
  }
}

async function insertVm(name: string, over: Partial<typeof vms.$inferInsert> & { ownerId: string }): Promise<string> {
  const id = randomUUID();
  await tdb.database.db.insert(vms).values({
    id,
    name,
    cores: 2,
    memoryMib: 2048,
    diskGib: 3,
    status: 'active',
    powerState: 'running',
    serverId,
    node,
    ...over,
  });
  return id;
}

beforeAll(async () => {
  sim = await fastSimulator({ nodes: 1 });
  tdb = await createTestDatabase();
  t = await buildTestApp({
    database: tdb.database,
    clock,
    env: { PROXMOX_TIMEOUT: '5' },
    logDestination: { write: (s) => void logs.push(s) },
  });
  admin = await createAdmin(t);
  serverId = await addSimulatorServer(t, admin, sim);
  owner = await register(t.app);
  other = await register(t.app);

  await cloneAndStart(100, 'console-vm', true);
  await cloneAndStart(101, 'stopping-vm', true);
  vmIds.running = await insertVm('console-vm', { ownerId: owner.userId, vmid: 100 });
  vmIds.stopping = await insertVm('stopping-vm', { ownerId: owner.userId, vmid: 101 });
  vmIds.stopped = await insertVm('stopped-vm', { ownerId: owner.userId, vmid: 102, powerState: 'stopped' });
  vmIds.provisioning = await insertVm('new-vm', {
    ownerId: owner.userId,
    status: 'provisioning',
    powerState: 'unknown',
    serverId: null,
    node: null,
    vmid: null,
  });

  await t.app.listen({ port: 0, host: '127.0.0.1' });
  origin = `ws://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await t?.close();
  await tdb?.drop();
  await sim?.close();
});

const ticketFor = (vmId: string, who: Client = owner) =>
  t.app.inject({ method: 'POST', url: `/api/v1/vms/${vmId}/console`, headers: auth(who) });

/** Everything a browser-side socket received, readable by exact byte counts. */
class Browser {
  readonly ws: WebSocket;
  private buf = Buffer.alloc(0);
  received = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed: Promise<{ code: number; reason: string }>;
  isClosed = false;

  constructor(path: string, ticket: string) {
    this.ws = new WebSocket(`${origin}${path}?ticket=${encodeURIComponent(ticket)}`, ['binary']);
    this.ws.on('message', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.received = Buffer.concat([this.received, d]);
      this.waiters.splice(0).forEach((w) => w());
    });
    this.closed = new Promise((resolve) =>
      this.ws.on('close', (code, reason) => {
        this.isClosed = true;
        this.waiters.splice(0).forEach((w) => w());
        resolve({ code, reason: reason.toString('utf8') });
      }),
    );
    this.ws.on('error', () => {});
  }

  async read(n: number): Promise<Buffer> {
    while (this.buf.length < n) {
      if (this.isClosed) throw new Error(`closed with ${this.buf.length}/${n} bytes`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  send(b: Buffer | number[]) {
    this.ws.send(Buffer.from(b));
  }

  /** RFB 3.8 as noVNC speaks it: the proxy must offer None and nothing else. */
  async handshake(): Promise<{ width: number; height: number; name: string }> {
    expect((await this.read(12)).toString('latin1')).toBe('RFB 003.008\n');
    this.send(Buffer.from('RFB 003.008\n', 'latin1'));
    expect([...(await this.read(2))]).toEqual([1, 1]);
    this.send([1]);
    expect((await this.read(4)).readUInt32BE(0)).toBe(0);
    this.send([1]); // ClientInit, shared
    const init = await this.read(24);
    const name = (await this.read(init.readUInt32BE(20))).toString('utf8');
    return { width: init.readUInt16BE(0), height: init.readUInt16BE(2), name };
  }
}

describe('POST /vms/:id/console', () => {
  it('issues a one-time ticket valid at most 30 s, stores only its hash, and audits it', async () => {
    const res = await ticketFor(vmIds.running);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'ticket', 'websocketPath']);
    expect(body.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits
    expect(body.websocketPath).toBe(`/api/v1/vms/${vmIds.running}/console/ws`);
    const ttl = new Date(body.expiresAt).getTime() - clock.now().getTime();
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);

    const rows = await tdb.database.db.select().from(consoleTickets).where(eq(consoleTickets.vmId, vmIds.running));
    const hash = createHash('sha256').update(body.ticket).digest('hex');
    expect(rows.map((r) => r.tokenHash)).toContain(hash);
    expect(JSON.stringify(rows)).not.toContain(body.ticket);

    const audit = await t.services.audit.search({
      page: 1,
      pageSize: 10,
      targetId: vmIds.running,
      action: 'vm.console_opened',
    });
    expect(audit.items[0]).toMatchObject({ actorId: owner.userId, targetType: 'vm' });
    expect(JSON.stringify(audit.items)).not.toContain(body.ticket);
  });

  it("answers 404 for another user's VM, and lets an admin in", async () => {
    const res = await ticketFor(vmIds.running, other);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    expect((await ticketFor(vmIds.running, admin)).statusCode).toBe(200);
  });

  it('answers 409 for a VM that is not running or has no machine yet', async () => {
    for (const id of [vmIds.stopped, vmIds.provisioning]) {
      const res = await ticketFor(id);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('INVALID_STATE_TRANSITION');
    }
    expect((await ticketFor(vmIds.stopped)).json().error.message).toMatch(/not running/);
  });

  it('needs a signed-in user', async () => {
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/vms/${vmIds.running}/console` });
    expect(res.statusCode).toBe(401);
  });
});

describe('the console websocket', () => {
  it('speaks RFB with security None and serves the VM screen; no Proxmox secret reaches the browser', async () => {
    logs.length = 0;
    const issued = await ticketFor(vmIds.running);
    const { ticket, websocketPath } = issued.json();
    const b = new Browser(websocketPath, ticket);
    const init = await b.handshake();
    expect(init).toEqual({ width: 1024, height: 768, name: 'console-vm' });

    const setEncodings = Buffer.alloc(8);
    setEncodings.writeUInt8(2, 0);
    setEncodings.writeUInt16BE(1, 2);
    setEncodings.writeInt32BE(0, 4);
    const request = Buffer.alloc(10);
    request.writeUInt8(3, 0);
    request.writeUInt16BE(init.width, 6);
    request.writeUInt16BE(init.height, 8);
    b.send(Buffer.concat([setEncodings, request]));
    const head = await b.read(4);
    expect(head.readUInt8(0)).toBe(0); // FramebufferUpdate
    const rect = await b.read(12);
    expect([rect.readUInt16BE(4), rect.readUInt16BE(6), rect.readInt32BE(8)]).toEqual([1024, 768, 0]);
    await b.read(1024 * 768 * 4);

    b.ws.close(1000);
    expect((await b.closed).code).toBe(1000);

    const seen = Buffer.concat([issued.rawPayload, b.received]).toString('latin1');
    expect(seen).not.toContain(sim.tokens.admin.secret);
    expect(seen).not.toContain('PVEAPIToken');
    expect(seen).not.toContain('PVEVNC');
    await expect.poll(() => logs.join('')).toContain('console closed');
    const logged = logs.join('');
    expect(logged).toContain('console opened');
    expect(logged).toContain(owner.userId);
    expect(logged).not.toContain(ticket);
    expect(logged).not.toContain(sim.tokens.admin.secret);
  });

  it('refuses a ticket used once already', async () => {
    const { ticket, websocketPath } = (await ticketFor(vmIds.running)).json();
    const first = new Browser(websocketPath, ticket);
    await first.handshake();
    const second = new Browser(websocketPath, ticket);
    const closed = await second.closed;
    expect(closed.code).toBe(4401);
    expect(closed.reason).toMatch(/^CONSOLE_TICKET_INVALID: /);
    expect(second.received.length).toBe(0);
    first.ws.close();
    await first.closed;
  });

  it('refuses an expired ticket', async () => {
    const { ticket, websocketPath } = (await ticketFor(vmIds.running)).json();
    clock.advance(30_001);
    const b = new Browser(websocketPath, ticket);
    expect((await b.closed).code).toBe(4401);
  });

  it('refuses a ticket on another VM than the one it was issued for', async () => {
    const { ticket } = (await ticketFor(vmIds.running)).json();
    const b = new Browser(`/api/v1/vms/${vmIds.stopping}/console/ws`, ticket);
    expect((await b.closed).code).toBe(4401);
  });

  it('refuses a ticket whose user was suspended after it was issued', async () => {
    const victim = await register(t.app);
    // The ticket is refused before Proxmox is asked: the VM need not exist there.
    const id = await insertVm('victim-vm', { ownerId: victim.userId, vmid: 103 });
    const { ticket, websocketPath } = (await ticketFor(id, victim)).json();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${victim.userId}/suspend`,
      headers: auth(admin),
      payload: { reason: 'testing the console' },
    });
    expect(res.statusCode).toBe(200);
    const closed = await new Browser(websocketPath, ticket).closed;
    expect(closed.code).toBe(4403);
    expect(closed.reason).toMatch(/^ACCOUNT_SUSPENDED: /);
  });

  it('closes the browser side when the Proxmox side closes', async () => {
    const { ticket, websocketPath } = (await ticketFor(vmIds.stopping)).json();
    const b = new Browser(websocketPath, ticket);
    expect((await b.handshake()).name).toBe('stopping-vm');
    const { client } = await t.services.servers.clientFor(serverId);
    try {
      await waitForTask(client, await client.power(node, 101, 'stop'), { deadlineMs: 20_000, pollMs: 20 });
    } finally {
      await client.close();
    }
    const closed = await b.closed;
    expect(closed.code).toBe(1000);
    expect(closed.reason).toMatch(/Proxmox side/);
  });

  it('reports a VM that stopped behind our back as not running', async () => {
    // The database still says running (reconciliation has not run); Proxmox knows better.
    const { ticket, websocketPath } = (await ticketFor(vmIds.stopping)).json();
    const closed = await new Browser(websocketPath, ticket).closed;
    expect(closed.code).toBe(4409);
    expect(closed.reason).toMatch(/^INVALID_STATE_TRANSITION: VM is not running/);
  });

  it('answers a plain HTTP request with 400, and a missing ticket before any upgrade', async () => {
    const plain = await t.app.inject({ url: `/api/v1/vms/${vmIds.running}/console/ws?ticket=x` });
    expect(plain.statusCode).toBe(400);
    const missing = await t.app.inject({ url: `/api/v1/vms/${vmIds.running}/console/ws` });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('VALIDATION_FAILED');
  });
});

describe('the connection to Proxmox', () => {
  it('trusts a pinned fingerprint or the CA, and nothing else', async () => {
    const url = new URL(sim.url);
    (await connectTrusted(url, { fingerprint: sim.fingerprint }, 5_000)).destroy();
    (await connectTrusted(url, { ca: sim.caPem }, 5_000)).destroy();
    const wrong = sim.fingerprint.replace(/^../, sim.fingerprint.startsWith('00') ? '11' : '00');
    await expect(connectTrusted(url, { fingerprint: wrong }, 5_000)).rejects.toMatchObject({ kind: 'TLS' });
    await expect(connectTrusted(url, {}, 5_000)).rejects.toThrow(/CA certificate or a pinned fingerprint/);
  });

  it('answers VNC challenges with DES keyed by the bit-reversed password', () => {
    // FIPS 81's example: key 0123456789ABCDEF, "Now is t" → 3FA40E8A984D4815. These password
    // bytes are that key with each byte's bits reversed, as VNC does to the password.
    const password = Buffer.from([0x80, 0xc4, 0xa2, 0xe6, 0x91, 0xd5, 0xb3, 0xf7]).toString('latin1');
    const challenge = Buffer.from('Now is tNow is t', 'latin1');
    expect(vncAuthResponse(password, challenge).toString('hex')).toBe('3fa40e8a984d4815'.repeat(2));
  });
});
