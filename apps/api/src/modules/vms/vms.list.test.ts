import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vms } from '../../db/schema/index.js';
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

/**
 * The VM list's every filter, sort and page, run twice and interleaved: the
 * page statement is prepared once per shape of query, so a shape reused with
 * other values, or a different shape after it, must answer exactly as a
 * fresh query would.
 */
let tdb: TestDatabase;
let t: TestApp;
let admin: Client;
let alice: Client;
let bob: Client;

const t0 = Date.UTC(2026, 0, 1);
const rows: { name: string; status: 'active' | 'deleted' | 'failed'; power: 'running' | 'stopped' }[] = [
  { name: 'alpha', status: 'active', power: 'running' },
  { name: 'bravo', status: 'active', power: 'stopped' },
  { name: 'charlie', status: 'active', power: 'running' },
  { name: 'delta', status: 'deleted', power: 'stopped' },
  { name: 'echo', status: 'failed', power: 'stopped' },
  { name: 'foxtrot', status: 'active', power: 'stopped' },
  { name: 'golf-lab', status: 'active', power: 'running' },
];

async function seed(owner: Client, prefix: string, list: typeof rows) {
  await t.database.db.insert(vms).values(
    list.map((r, i) => ({
      id: randomUUID(),
      ownerId: owner.userId,
      name: `${prefix}${r.name}`,
      cores: 1,
      memoryMib: 512,
      diskGib: 3,
      status: r.status,
      powerState: r.power,
      priceRunningPerHour: 0,
      baseCores: 1,
      baseMemoryMib: 512,
      baseDiskGib: 3,
      createdAt: new Date(t0 + i * 60_000),
      updatedAt: new Date(t0 + i * 60_000),
    })),
  );
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await buildTestApp({ database: tdb.database });
  admin = await createAdmin(t);
  alice = await register(t.app);
  bob = await register(t.app);
  await seed(alice, '', rows);
  await seed(bob, 'b-', rows.slice(0, 3));
});
afterAll(async () => {
  await t?.close();
  await tdb?.drop();
});

async function names(c: Client, query: string, admin_ = false) {
  const res = await t.app.inject({ url: `/api/v1/${admin_ ? 'admin/' : ''}vms?${query}`, headers: auth(c) });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as { items: { name: string }[]; total: number };
  return { names: body.items.map((v) => v.name), total: body.total };
}

describe('GET /vms', () => {
  it('answers every filter, sort and page as a fresh query would, however often and in whatever order', async () => {
    const cases: [string, { names: string[]; total: number }][] = [
      ['', { names: ['golf-lab', 'foxtrot', 'echo', 'charlie', 'bravo', 'alpha'], total: 6 }],
      ['sort=name&order=asc', { names: ['alpha', 'bravo', 'charlie', 'echo', 'foxtrot', 'golf-lab'], total: 6 }],
      ['powerState=running', { names: ['golf-lab', 'charlie', 'alpha'], total: 3 }],
      ['status=deleted', { names: ['delta'], total: 1 }],
      ['q=lab', { names: ['golf-lab'], total: 1 }],
      ['q=%25', { names: [], total: 0 }],
      ['pageSize=2&page=2', { names: ['echo', 'charlie'], total: 6 }],
      ['pageSize=2&page=9', { names: [], total: 6 }],
      ['powerState=stopped&sort=name&order=desc', { names: ['foxtrot', 'echo', 'bravo'], total: 3 }],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [query, want] of round ? [...cases].reverse() : cases) {
        expect(await names(alice, query), query).toEqual(want);
      }
    }
    // The same shapes with another owner's values: Bob sees his own, never Alice's.
    expect(await names(bob, '')).toEqual({ names: ['b-charlie', 'b-bravo', 'b-alpha'], total: 3 });
    expect(await names(bob, 'q=lab')).toEqual({ names: [], total: 0 });
    expect(await names(bob, 'powerState=running')).toEqual({ names: ['b-charlie', 'b-alpha'], total: 2 });
  });

  it('lets an administrator filter by owner and find VMs by their owner’s email', async () => {
    expect((await names(admin, `ownerId=${bob.userId}`, true)).total).toBe(3);
    expect((await names(admin, `ownerId=${alice.userId}&powerState=running`, true)).names).toEqual([
      'golf-lab',
      'charlie',
      'alpha',
    ]);
    const byEmail = await names(admin, `q=${encodeURIComponent(bob.email)}`, true);
    expect(byEmail).toEqual({ names: ['b-charlie', 'b-bravo', 'b-alpha'], total: 3 });
    expect((await names(admin, `ownerId=${bob.userId}&page=5&pageSize=2`, true)).total).toBe(3);
  });
});

describe('GET /vms/summary', () => {
  it('counts your own VMs by power state and status in one call, deleted ones left out', async () => {
    const res = await t.app.inject({ url: '/api/v1/vms/summary', headers: auth(alice) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      total: 6,
      byPowerState: { running: 3, stopped: 3, paused: 0, unknown: 0 },
      byStatus: { provisioning: 0, active: 5, failed: 1, lost: 0, deleting: 0 },
      busy: 0,
    });
    const other = (await t.app.inject({ url: '/api/v1/vms/summary', headers: auth(bob) })).json();
    expect(other).toMatchObject({ total: 3, byPowerState: { running: 2, stopped: 1 } });
    expect((await t.app.inject({ url: '/api/v1/vms/summary' })).statusCode).toBe(401);
  });
});
