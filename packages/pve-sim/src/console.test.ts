/** vncproxy + vncwebsocket: a ws client completes the RFB handshake and receives a framebuffer. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { cloneTemplate, sleep, startTestSim, type TestSim } from './testing/harness.js';
import { vncAuthResponse } from './vnc/des.js';

let t: TestSim;
beforeAll(async () => {
  t = await startTestSim();
  await cloneTemplate(t.api, 100, { name: 'console-vm' });
  await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/start'));
});
afterAll(async () => {
  await t?.sim.close();
});

interface Proxy {
  port: number;
  ticket: string;
  password: string;
  upid: string;
  user: string;
  cert: string;
}

/** Reads exact byte counts from a websocket carrying a byte stream. */
class ByteReader {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;
  constructor(ws: WebSocket) {
    ws.on('message', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.waiters.splice(0).forEach((w) => w());
    });
    ws.on('close', () => {
      this.closed = true;
      this.waiters.splice(0).forEach((w) => w());
    });
  }
  async read(n: number): Promise<Buffer> {
    while (this.buf.length < n) {
      if (this.closed) throw new Error(`closed with ${this.buf.length}/${n} bytes`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
}

const openProxy = () => t.api.data<Proxy>(t.api.post('/nodes/pve1/qemu/100/vncproxy', { websocket: 1 }));

function connect(p: Proxy, headers: Record<string, string> = { Authorization: t.sim.tokens.admin.header }) {
  const url = `wss://127.0.0.1:${t.sim.port}/api2/json/nodes/pve1/qemu/100/vncwebsocket?port=${p.port}&vncticket=${encodeURIComponent(p.ticket)}`;
  return new WebSocket(url, ['binary'], { ca: t.sim.caPem, headers });
}

function rejection(ws: WebSocket): Promise<number> {
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => reject(new Error('should not open')));
    ws.on('error', () => {});
  });
}

describe('vncproxy', () => {
  it('answers port, ticket with the password prefix, user, upid and the CA', async () => {
    const p = await openProxy();
    expect(p.port).toBeGreaterThanOrEqual(5900);
    expect(p.port).toBeLessThanOrEqual(5999);
    expect(p.password).toMatch(/^[!-`]{8}$/);
    expect(p.ticket.startsWith(`${p.password}:PVEVNC:`)).toBe(true);
    expect(p.user).toBe('root@pam!uni-manager');
    expect(p.upid).toMatch(/:vncproxy:100:/);
    expect(p.cert).toBe(t.sim.caPem);
    // Nobody connects: the proxy gives up after 10 s (100 ms here).
    expect((await t.api.waitTask(p.upid)).exitstatus).toBe('connection timed out');
  });
});

describe('vncwebsocket', () => {
  it('needs normal authentication and a matching ticket', async () => {
    const p = await openProxy();
    expect(await rejection(connect(p, {}))).toBe(401);
    expect(await rejection(connect({ ...p, ticket: `${p.password}:PVEVNC:00000000::Zm9v` }))).toBe(401);
    expect(await rejection(connect(p, { Authorization: t.sim.tokens.readonly.header }))).toBe(403);
  });

  it('completes the RFB 3.8 handshake with VNC authentication and sends a non-trivial framebuffer', async () => {
    const p = await openProxy();
    const ws = connect(p);
    const reader = new ByteReader(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    expect(ws.protocol).toBe('binary');
    expect((await reader.read(12)).toString('latin1')).toBe('RFB 003.008\n');
    ws.send(Buffer.from('RFB 003.008\n', 'latin1'));
    expect([...(await reader.read(2))]).toEqual([1, 2]);
    ws.send(Buffer.from([2]));
    const challenge = await reader.read(16);
    ws.send(Buffer.from(vncAuthResponse(p.password, challenge)));
    expect((await reader.read(4)).readUInt32BE(0)).toBe(0);
    ws.send(Buffer.from([1]));
    const init = await reader.read(24);
    const width = init.readUInt16BE(0);
    const height = init.readUInt16BE(2);
    expect([width, height]).toEqual([1024, 768]);
    expect(init.readUInt8(4)).toBe(32);
    const name = (await reader.read(init.readUInt32BE(20))).toString('utf8');
    expect(name).toBe('console-vm');

    const setEncodings = Buffer.alloc(8);
    setEncodings.writeUInt8(2, 0);
    setEncodings.writeUInt16BE(1, 2);
    setEncodings.writeInt32BE(0, 4);
    const request = Buffer.alloc(10);
    request.writeUInt8(3, 0);
    request.writeUInt8(0, 1);
    request.writeUInt16BE(width, 6);
    request.writeUInt16BE(height, 8);
    ws.send(Buffer.concat([setEncodings, request]));

    const head = await reader.read(4);
    expect(head.readUInt8(0)).toBe(0);
    expect(head.readUInt16BE(2)).toBe(1);
    const rect = await reader.read(12);
    expect([rect.readUInt16BE(4), rect.readUInt16BE(6), rect.readInt32BE(8)]).toEqual([width, height, 0]);
    const pixels = await reader.read(width * height * 4);
    const colours = new Set<number>();
    let lit = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      const v = pixels.readUInt32LE(i) & 0xffffff;
      colours.add(v);
      if (v === 0xcccccc) lit++;
    }
    expect(colours.size).toBeGreaterThan(3);
    expect(lit).toBeGreaterThan(1000); // text was drawn

    // Typing shows up: an incremental request is answered with the changed region.
    const key = Buffer.alloc(8);
    key.writeUInt8(4, 0);
    key.writeUInt8(1, 1);
    key.writeUInt32BE(0x61, 4);
    request.writeUInt8(1, 1);
    ws.send(Buffer.concat([key, request]));
    const upd = await reader.read(4);
    expect(upd.readUInt8(0)).toBe(0);
    const r2 = await reader.read(12);
    await reader.read(r2.readUInt16BE(4) * r2.readUInt16BE(6) * 4);
    expect(r2.readUInt16BE(4) * r2.readUInt16BE(6)).toBeLessThan(width * height);

    ws.close();
    expect((await t.api.waitTask(p.upid)).exitstatus).toBe('OK');
  });

  it('refuses a wrong VNC password', async () => {
    const p = await openProxy();
    const ws = connect(p);
    const reader = new ByteReader(ws);
    await reader.read(12);
    ws.send(Buffer.from('RFB 003.008\n', 'latin1'));
    await reader.read(2);
    ws.send(Buffer.from([2]));
    const challenge = await reader.read(16);
    ws.send(Buffer.from(vncAuthResponse('wrongpwd', challenge)));
    expect((await reader.read(4)).readUInt32BE(0)).toBe(1);
    const len = (await reader.read(4)).readUInt32BE(0);
    expect((await reader.read(len)).toString()).toBe('Authentication failure');
    await sleep(20);
    expect(reader.closed).toBe(true);
  });

  it('closes the console when the VM stops', async () => {
    const p = await openProxy();
    const ws = connect(p);
    const reader = new ByteReader(ws);
    await reader.read(12);
    await t.api.task(t.api.post('/nodes/pve1/qemu/100/status/stop'));
    await sleep(20);
    expect(reader.closed).toBe(true);
    expect((await t.api.waitTask(p.upid)).status).toBe('stopped');
  });
});
