import type { RunningSimulator } from '@uni-manager/pve-sim';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auth,
  buildTestApp,
  createAdmin,
  createTestDatabase,
  login,
  manualClock,
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
let serverId: string;
const clock = manualClock(new Date());

beforeAll(async () => {
  sim = await fastSimulator({ timeScale: 0.05, seed: 3 });
  tdb = await createTestDatabase();
  t = await buildTestApp({ database: tdb.database, clock, env: { PROXMOX_TIMEOUT: '2' } });
  admin = await createAdmin(t);
  serverId = await addSimulatorServer(t, admin, sim);
});
afterAll(async () => {
  await t?.close();
  await tdb?.drop();
  await sim?.close();
});

const getServer = async () =>
  (await t.app.inject({ url: `/api/v1/admin/servers/${serverId}`, headers: auth(admin) })).json();
const transitions = async () =>
  (
    await t.services.audit.search({ page: 1, pageSize: 50, targetId: serverId, action: 'server.health_changed' })
  ).items.map((e) => e.details);

describe('the monitor', () => {
  it('records a healthy server with its nodes and samples', async () => {
    const r = await t.services.monitoring.runCycle();
    expect(r).toEqual({ checked: 1, offline: 0, degraded: 0 });
    const s = await getServer();
    expect(s).toMatchObject({ health: 'healthy', healthReason: null });
    expect(s.lastCheckedAt).toBe(clock.now().toISOString());
    expect(s.nodes).toHaveLength(2);
    for (const n of s.nodes) {
      expect(n).toMatchObject({ status: 'online', health: 'healthy' });
      expect(n.memTotal).toBeGreaterThan(0);
      expect(n.cpu).toBeGreaterThanOrEqual(0);
    }
    const samples = (
      await tdb.database.db.execute(sql`select node, up, latency_ms from health_samples where server_id = ${serverId}`)
    ).rows as { node: string; up: number; latency_ms: number | null }[];
    // Two checks so far, each sampling the server and its nodes: one when it was added, one now.
    expect(samples.map((x) => x.node).sort()).toEqual(['', '', ...sim.nodes, ...sim.nodes].sort());
    expect(samples.find((x) => x.node === '')!.latency_ms).toBeGreaterThan(0);
    expect(await transitions()).toEqual([]);
  });

  it('marks a node offline when it goes down and healthy when it returns, auditing both', async () => {
    const node = sim.nodes[1]!;
    sim.control.setNodeOffline(node, 'refuse');
    clock.advance(60_000);
    try {
      await t.services.monitoring.runCycle();
      const s = await getServer();
      expect(s.health).toBe('degraded');
      expect(s.healthReason).toContain(`${node} offline`);
      expect(s.healthIssues).toEqual([{ code: 'NODE_OFFLINE', node }]);
      expect(s.nodes.find((n: { node: string }) => n.node === node)).toMatchObject({ health: 'offline' });
      expect(s.nodes.find((n: { node: string }) => n.node !== node)).toMatchObject({ health: 'healthy' });
    } finally {
      sim.control.setNodeOnline(node);
    }
    clock.advance(60_000);
    await t.services.monitoring.runCycle();
    expect(await getServer()).toMatchObject({ health: 'healthy', healthReason: null, healthIssues: [] });
    const log = await transitions();
    expect(log).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from: 'healthy', to: 'degraded' }),
        expect.objectContaining({ node, from: 'healthy', to: 'offline' }),
        expect.objectContaining({ from: 'degraded', to: 'healthy' }),
        expect.objectContaining({ node, from: 'offline', to: 'healthy' }),
      ]),
    );
  });

  it('a node that hangs is offline within the timeout, not a stuck monitor', async () => {
    const node = sim.nodes[0]!;
    sim.control.setNodeOffline(node, 'hang');
    clock.advance(60_000);
    try {
      const started = Date.now();
      await t.services.monitoring.runCycle();
      expect(Date.now() - started).toBeLessThan(8_000);
      expect((await getServer()).nodes.find((n: { node: string }) => n.node === node).health).toBe('offline');
    } finally {
      sim.control.setNodeOnline(node);
    }
    clock.advance(60_000);
    await t.services.monitoring.runCycle();
  });

  it('marks the whole server offline when it does not answer at all', async () => {
    const other = await fastSimulator({ nodes: 1, timeScale: 1 });
    const id = await addSimulatorServer(t, admin, other, 'Doomed');
    await other.close();
    clock.advance(60_000);
    const r = await t.services.monitoring.runCycle();
    expect(r.offline).toBe(1);
    const s = (await t.app.inject({ url: `/api/v1/admin/servers/${id}`, headers: auth(admin) })).json();
    expect(s.health).toBe('offline');
    expect(s.healthReason).toMatch(/unavailable|timeout/);
    expect(s.healthIssues).toEqual([
      { code: 'UNREACHABLE', kind: expect.stringMatching(/UNAVAILABLE|TIMEOUT/), message: expect.any(String) },
    ]);
    expect(s.nodes.every((n: { health: string }) => n.health === 'offline')).toBe(true);
    // Disabled servers are not polled.
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/servers/${id}`,
      headers: auth(admin),
      payload: { enabled: false },
    });
    clock.advance(60_000);
    expect((await t.services.monitoring.runCycle()).checked).toBe(1);
  });
});

describe('health history', () => {
  it('serves raw samples for short ranges and hourly averages for long ones; old data is pruned', async () => {
    const raw = (
      await t.app.inject({ url: `/api/v1/admin/servers/${serverId}/health?range=1h`, headers: auth(admin) })
    ).json();
    expect(raw.resolution).toBe('raw');
    expect(raw.server.length).toBeGreaterThanOrEqual(4);
    expect(raw.nodes.map((n: { node: string }) => n.node)).toEqual([...sim.nodes].sort());
    expect(raw.server.some((p: { up: number }) => p.up === 1)).toBe(true);
    const degradedNode = raw.nodes.find((n: { node: string }) => n.node === sim.nodes[1]);
    expect(degradedNode.points.some((p: { up: number }) => p.up === 0)).toBe(true);

    const week = (
      await t.app.inject({ url: `/api/v1/admin/servers/${serverId}/health?range=7d`, headers: auth(admin) })
    ).json();
    expect(week.resolution).toBe('hourly');
    expect(week.server.length).toBeGreaterThanOrEqual(1);
    expect(week.server[0].up).toBeGreaterThan(0);

    // Three days on: raw samples are gone, the hourly ones remain; 31 days on, those too.
    clock.advance(3 * 86_400_000);
    const pruned = await t.services.monitoring.retention();
    expect(pruned.rawDeleted).toBeGreaterThan(0);
    expect((await t.services.monitoring.history(serverId, '24h')).server).toHaveLength(0);
    expect((await t.services.monitoring.history(serverId, '7d')).server.length).toBeGreaterThan(0);
    clock.advance(31 * 86_400_000);
    expect((await t.services.monitoring.retention()).hourlyDeleted).toBeGreaterThan(0);
    expect((await t.services.monitoring.history(serverId, '30d')).server).toHaveLength(0);
  });

  it('validates its input and is for admins only', async () => {
    // The previous test moved the clock a month on: sign in afresh.
    admin = await login(t.app, admin.email);
    expect(
      (await t.app.inject({ url: `/api/v1/admin/servers/${serverId}/health?range=1y`, headers: auth(admin) }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await t.app.inject({
          url: '/api/v1/admin/servers/00000000-0000-4000-8000-000000000000/health',
          headers: auth(admin),
        })
      ).statusCode,
    ).toBe(404);
    const u = await register(t.app);
    expect((await t.app.inject({ url: `/api/v1/admin/servers/${serverId}/health`, headers: auth(u) })).statusCode).toBe(
      403,
    );
  });
});
