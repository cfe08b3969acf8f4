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
import { openStream as openSse, type Frame } from '../../test/sse.js';
import { FAST_OPERATIONS, addSimulatorServer, fastSimulator, seedTemplate, settle } from '../../test/vm-fixtures.js';

/**
 * The live stream over real HTTP: what a browser tab receives while VMs are
 * created, run and stopped, and what it must never receive.
 */
let sim: RunningSimulator;
let tdb: TestDatabase;
let t: TestApp;
let base: string;
let admin: Client;
let alice: Client;
let bob: Client;
let templateId: string;

beforeAll(async () => {
  sim = await fastSimulator();
  tdb = await createTestDatabase();
  t = await buildTestApp({ database: tdb.database, env: { ...FAST_OPERATIONS } });
  await t.services.operations.start();
  admin = await createAdmin(t);
  alice = await register(t.app);
  bob = await register(t.app);
  const serverId = await addSimulatorServer(t, admin, sim);
  templateId = await seedTemplate(t, [{ serverId, node: 'pve1', vmid: 9000 }]);
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await t?.close();
  await tdb?.drop();
  await sim?.close();
});

async function openStream(c: Client) {
  const s = await openSse(`${base}/api/v1/me/stream`, c.token);
  expect(s.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  expect(s.response.headers.get('x-request-id')).toBeTruthy();
  expect(s.response.headers.get('x-content-type-options')).toBe('nosniff');
  return s;
}

describe('GET /me/stream', () => {
  it('refuses a request that does not accept an event stream, and anyone not signed in', async () => {
    const res = await fetch(`${base}/api/v1/me/stream`, { headers: auth(alice) });
    expect(res.status).toBe(406);
    const body = (await res.json()) as { error: { code: string }; requestId: string };
    expect(body.error.code).toBe('NOT_ACCEPTABLE');
    expect(body.requestId).toBeTruthy();
    const anon = await fetch(`${base}/api/v1/me/stream`, { headers: { accept: 'text/event-stream' } });
    expect(anon.status).toBe(401);
  });

  it("carries a VM's progress to its owner and to administrators, and nothing of it to anyone else", async () => {
    const a = await openStream(alice);
    const b = await openStream(bob);
    const root = await openStream(admin);
    await a.waitFor((f) => f.event === 'hello');
    await b.waitFor((f) => f.event === 'hello');

    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/vms',
      headers: auth(alice),
      payload: { templateId, name: 'live-1' },
    });
    expect(created.statusCode, created.body).toBe(202);
    const vmId = created.json().vm.id as string;
    await settle(t, alice, vmId);

    const mine = (f: Frame) => f.event === 'vm' && f.data.vmId === vmId;
    const done = await a.waitFor(
      (f) => mine(f) && (f.data.operation as { status?: string } | null)?.status === 'succeeded',
    );
    expect(done.data).toMatchObject({ status: 'active', powerState: 'running', operation: { kind: 'create' } });
    // The steps arrived as they happened, in order.
    const steps = a.frames.filter(mine).map((f) => (f.data.operation as { step: string | null } | null)?.step);
    expect(steps).toEqual(expect.arrayContaining(['placing', 'cloning', 'starting']));
    await root.waitFor((f) => mine(f) && (f.data.operation as { status?: string } | null)?.status === 'succeeded');

    // Bob saw his hello and nothing about Alice's VM.
    expect(b.frames.filter((f) => f.event === 'vm')).toEqual([]);
    for (const s of [a, b, root]) s.close();
  });

  it("tells administrators' pages of each server check, and users nothing of it", async () => {
    const root = await openStream(admin);
    const a = await openStream(alice);
    await root.waitFor((f) => f.event === 'hello');
    await a.waitFor((f) => f.event === 'hello');
    await t.services.monitoring.runCycle();
    const ev = await root.waitFor((f) => f.event === 'server');
    expect(ev.data).toMatchObject({ type: 'server', health: 'healthy' });
    await new Promise((r) => setTimeout(r, 200));
    expect(a.frames.filter((f) => f.event === 'server')).toEqual([]);
    root.close();
    a.close();
  });

  it('tells open pages that money moved after an administrator grants credits', async () => {
    const a = await openStream(alice);
    const b = await openStream(bob);
    await a.waitFor((f) => f.event === 'hello');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${alice.userId}/credits`,
      headers: auth(admin),
      payload: { kind: 'grant', amount: 10_000, reason: 'Lab' },
    });
    expect(res.statusCode, res.body).toBe(201);
    await a.waitFor((f) => f.event === 'balance');
    await new Promise((r) => setTimeout(r, 200));
    expect(b.frames.filter((f) => f.event === 'balance')).toEqual([]);
    a.close();
    b.close();
  });

  it('ends the stream of a user who is suspended, saying why', async () => {
    const carol = await register(t.app);
    const s = await openStream(carol);
    await s.waitFor((f) => f.event === 'hello');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${carol.userId}/suspend`,
      headers: auth(admin),
      payload: { reason: 'Mining' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const end = await s.waitFor((f) => f.event === 'end');
    expect(end.data).toMatchObject({ code: 'ACCOUNT_SUSPENDED', details: { reason: 'Mining' } });
    await s.waitEnded();
    // And the very next request is refused, though the principal was cached a moment ago.
    const next = await t.app.inject({ url: '/api/v1/me', headers: auth(carol) });
    expect(next.statusCode).toBe(403);
  });
});
