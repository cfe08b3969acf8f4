import type { RunningSimulator } from '@uni-manager/pve-sim';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { query } from '../../lib/sql.js';
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
import { FAST_OPERATIONS, addSimulatorServer, fastSimulator, seedTemplate, settle } from '../../test/vm-fixtures.js';

/**
 * The overspend is bounded by one check interval's burn: a VM that costs one
 * minor unit a second, on a balance of 100, checked every 30 s of (moved)
 * time, is shut down in Proxmox by the check that first sees the live
 * balance at the limit, and the debt it ran up is at most 30 units, recorded
 * and charged, never dropped. The low-balance warning comes first.
 */
const INTERVAL_S = 30;
let sim: RunningSimulator;
let tdb: TestDatabase;
let t: TestApp;
let admin: Client;
let alice: Client;
let templateId: string;
const clock = manualClock(new Date('2026-04-14T10:00:00.000Z'));

beforeAll(async () => {
  sim = await fastSimulator();
  tdb = await createTestDatabase();
  t = await buildTestApp({
    database: tdb.database,
    clock,
    env: {
      ...FAST_OPERATIONS,
      INITIAL_CREDITS: '0',
      RECONCILE_INTERVAL: `${INTERVAL_S}s`,
      MIN_BALANCE_HOURS: '0.01',
      LOW_BALANCE_HOURS: '0.02',
      SHUTDOWN_TIMEOUT: '10',
    },
  });
  await t.services.operations.start();
  admin = await createAdmin(t);
  alice = await register(t.app);
  const serverId = await addSimulatorServer(t, admin, sim);
  templateId = await seedTemplate(t, [{ serverId, node: 'pve1', vmid: 9000 }], {
    priceRunningPerHour: 3600,
    priceStoppedPerHour: 36,
  });
});
afterAll(async () => {
  await t?.close();
  await tdb?.drop();
  await sim?.close();
});

it('shuts the VM down at the limit, with an overspend of at most one interval’s burn', async () => {
  const grant = await t.app.inject({
    method: 'POST',
    url: `/api/v1/admin/users/${alice.userId}/credits`,
    headers: auth(admin),
    payload: { kind: 'grant', amount: 100, reason: 'A hundred seconds of compute' },
  });
  expect(grant.statusCode, grant.body).toBe(201);
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/vms',
    headers: auth(alice),
    payload: { templateId, name: 'burner' },
  });
  expect(created.statusCode, created.body).toBe(202);
  const vmId = created.json().vm.id;
  expect((await settle(t, alice, vmId)).vm.powerState).toBe('running');

  const kinds: string[] = [];
  let checks = 0;
  for (;;) {
    clock.advance(INTERVAL_S * 1000);
    checks++;
    const w = await t.services.billing.watch();
    const notes = await t.services.notifications.list(alice.userId, { page: 1, pageSize: 20, unread: false });
    for (const n of notes.items.reverse()) if (!kinds.includes(n.kind)) kinds.push(n.kind);
    if (w.shutdowns > 0) break;
    expect(checks).toBeLessThan(10);
  }
  const { vm } = await settle(t, alice, vmId);
  expect(vm.powerState).toBe('stopped');
  expect(vm.lastOperation).toMatchObject({ kind: 'shutdown', status: 'succeeded' });
  // The warning first; the exhaustion and the shutdown are told in one go, at the same instant.
  expect(kinds.slice(0, 2)).toEqual(['credits_granted', 'low_balance']);
  expect(kinds.slice(2).sort()).toEqual(['auto_shutdown', 'credits_exhausted']);

  // Ten minutes later everything is charged: the running seconds, then the stopped ones.
  clock.advance(10 * 60_000);
  await t.services.billing.runCycle({ trigger: 'manual' });
  const periods = await query<{ rate: string; seconds: string }>(
    t.database.db,
    sql`select rate_x1024::text as rate,
          extract(epoch from coalesce(lead(starts_at) over (order by starts_at, id), ${clock.now().toISOString()}::timestamptz) - starts_at)::text as seconds
        from vm_rate_periods where vm_id = ${vmId}::uuid order by starts_at, id`,
  );
  const running = periods.rows.filter((p) => p.rate === String(3600 * 1024)).reduce((a, p) => a + Number(p.seconds), 0);
  const overspend = running - 100;
  expect(overspend).toBeGreaterThan(0);
  expect(overspend).toBeLessThanOrEqual(INTERVAL_S);
  const b = await t.services.billing.balance(alice.userId);
  // The debt is recorded and shown, never dropped: 100 granted minus every second charged.
  const charged = await query<{ s: string }>(
    t.database.db,
    sql`select sum(amount)::text as s from ledger_transfers where vm_id = ${vmId}::uuid and kind = 'usage'`,
  );
  expect(b.posted).toBe(100 - Number(charged.rows[0]!.s));
  expect(Number(charged.rows[0]!.s)).toBe(Math.floor(running + (600 * 36) / 3600));
  expect(b.posted).toBeLessThan(0);
  // Stopped, it still pays for its disk: the balance stays at the limit until credits come.
  expect(b.exhausted).toBe(true);
  expect((await t.services.billing.verify()).violation).toBeNull();

  // A second check with nothing running changes nothing and sends nothing again.
  clock.advance(INTERVAL_S * 1000);
  const again = await t.services.billing.watch();
  expect(again.shutdowns).toBe(0);
  const notes = await t.services.notifications.list(alice.userId, { page: 1, pageSize: 50, unread: false });
  expect(notes.items.filter((n) => n.kind === 'auto_shutdown')).toHaveLength(1);
});
