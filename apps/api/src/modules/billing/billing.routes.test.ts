import { randomUUID } from 'node:crypto';
import type { RunningSimulator } from '@uni-manager/pve-sim';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProxmoxClient } from '../../integrations/proxmox/client.js';
import { query } from '../../lib/sql.js';
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

/**
 * Credits through the API as people use them: an admin grants, a student runs
 * a VM, time moves (a billing run up to a later instant), the charge appears,
 * the money runs out, the VM is shut down in Proxmox, starting it again is
 * refused until more credits come. Against the simulator over HTTPS.
 */
let sim: RunningSimulator;
let tdb: TestDatabase;
let t: TestApp;
let admin: Client;
let alice: Client;
let bob: Client;
let templateId: string;

const HOUR = 3_600_000;
// 0.05 credits an hour running, 0.01 stopped, at the template's size.
const RUNNING = 500;
const STOPPED = 100;

beforeAll(async () => {
  sim = await fastSimulator();
  tdb = await createTestDatabase();
  t = await buildTestApp({
    database: tdb.database,
    env: { ...FAST_OPERATIONS, BILLING_ALLOW_FUTURE_RUNS: 'true', SHUTDOWN_TIMEOUT: '10', INITIAL_CREDITS: '0' },
  });
  await t.services.operations.start();
  admin = await createAdmin(t);
  alice = await register(t.app);
  bob = await register(t.app);
  const serverId = await addSimulatorServer(t, admin, sim);
  templateId = await seedTemplate(t, [{ serverId, node: 'pve1', vmid: 9000 }], {
    priceRunningPerHour: RUNNING,
    priceStoppedPerHour: STOPPED,
    pricePerCoreHour: 200,
  });
});
afterAll(async () => {
  await t?.close();
  await tdb?.drop();
  await sim?.close();
});

const call = (c: Client | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: c ? auth(c) : {},
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });

async function balance(c: Client) {
  const res = await call(c, 'GET', '/me/balance');
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function run(at: Date) {
  const res = await call(admin, 'POST', '/admin/billing/runs', { at: at.toISOString() });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('admin credits', () => {
  it('grants with a reason, audited and notified; a double click with one key grants once', async () => {
    const key = randomUUID();
    const body = { kind: 'grant', amount: 50_000, reason: 'Welcome to the course', idempotencyKey: key };
    const first = await call(admin, 'POST', `/admin/users/${alice.userId}/credits`, body);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ kind: 'grant', amount: 50_000, reason: 'Welcome to the course' });
    const again = await call(admin, 'POST', `/admin/users/${alice.userId}/credits`, body);
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    expect((await balance(alice)).posted).toBe(50_000);

    const audit = await call(admin, 'GET', `/admin/audit?action=billing.credits_granted&targetId=${alice.userId}`);
    expect(audit.json().items).toHaveLength(1);
    expect(audit.json().items[0].details).toMatchObject({
      amount: 50_000,
      before: { balance: 0 },
      after: { balance: 50_000 },
    });
    const notes = await call(alice, 'GET', '/me/notifications');
    expect(notes.json()).toMatchObject({ unread: 1, items: [{ kind: 'credits_granted', data: { amount: 50_000 } }] });
  });

  it('refuses a deduction below zero, a missing reason, a bad amount, and non-admins', async () => {
    const over = await call(admin, 'POST', `/admin/users/${alice.userId}/credits`, {
      kind: 'deduction',
      amount: 50_001,
      reason: 'too much',
    });
    expect(over.statusCode).toBe(402);
    expect(over.json().error.code).toBe('INSUFFICIENT_CREDITS');
    for (const bad of [
      { kind: 'grant', amount: 10 },
      { kind: 'grant', amount: 0, reason: 'zero' },
      { kind: 'grant', amount: 1.5, reason: 'fraction' },
      { kind: 'grant', amount: '10', reason: 'string' },
      { kind: 'grant', amount: 1e300, reason: 'huge' },
      { kind: 'steal', amount: 10, reason: 'nope' },
    ]) {
      const res = await call(admin, 'POST', `/admin/users/${alice.userId}/credits`, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const missing = await call(admin, 'POST', `/admin/users/${randomUUID()}/credits`, {
      kind: 'grant',
      amount: 1,
      reason: 'nobody',
    });
    expect(missing.statusCode).toBe(404);
    const asUser = await call(bob, 'POST', `/admin/users/${bob.userId}/credits`, {
      kind: 'grant',
      amount: 1,
      reason: 'me',
    });
    expect(asUser.statusCode).toBe(403);
    expect((await balance(alice)).posted).toBe(50_000);
    expect((await t.services.billing.verify()).ok).toBe(true);
  });

  it('grants a class at once, by pasted emails or a filter, and a replayed batch grants nobody twice', async () => {
    const carol = await register(t.app, { email: `carol-${randomUUID().slice(0, 6)}@class.example.org` });
    const dave = await register(t.app, { email: `dave-${randomUUID().slice(0, 6)}@class.example.org` });
    const batchId = randomUUID();
    const body = {
      batchId,
      amount: 20_000,
      reason: 'Lab session credits',
      target: { emails: [carol.email, dave.email.toUpperCase(), 'nobody@class.example.org'] },
    };
    const res = await call(admin, 'POST', '/admin/billing/grants', body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      granted: 2,
      alreadyGranted: 0,
      notFound: ['nobody@class.example.org'],
      total: 40_000,
    });
    const replay = await call(admin, 'POST', '/admin/billing/grants', body);
    expect(replay.json()).toMatchObject({ granted: 0, alreadyGranted: 2, total: 0 });
    expect((await balance(carol)).posted).toBe(20_000);

    const byFilter = await call(admin, 'POST', '/admin/billing/grants', {
      batchId: randomUUID(),
      amount: 1_000,
      reason: 'Everyone in the class',
      target: { filter: { q: '@class.example.org' } },
    });
    expect(byFilter.json()).toMatchObject({ granted: 2 });
    expect((await balance(dave)).posted).toBe(21_000);
    const audit = await call(admin, 'GET', `/admin/audit?action=billing.batch_granted`);
    expect(audit.json().items).toHaveLength(2);
  });

  it('reverses a transaction once, with a transfer that names it', async () => {
    const g = await call(admin, 'POST', `/admin/users/${bob.userId}/credits`, {
      kind: 'grant',
      amount: 999,
      reason: 'typo',
    });
    const id = g.json().id;
    const rev = await call(admin, 'POST', `/admin/billing/transactions/${id}/reverse`, {
      reason: 'granted by mistake',
    });
    expect(rev.statusCode, rev.body).toBe(201);
    expect(rev.json()).toMatchObject({ kind: 'reversal', amount: -999, reversesId: id });
    const twice = await call(admin, 'POST', `/admin/billing/transactions/${id}/reverse`, { reason: 'again' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('ALREADY_REVERSED');
    expect((await balance(bob)).posted).toBe(0);
    const list = await call(bob, 'GET', '/me/transactions');
    const original = list.json().items.find((x: { id: string }) => x.id === id);
    expect(original.reversedById).toBe(rev.json().id);
    expect((await t.services.billing.verify()).ok).toBe(true);
  });
});

describe('a student runs out of credits', () => {
  let vmId: string;
  let t0: Date;

  it('cannot create a VM without an hour of its rate', async () => {
    const res = await call(bob, 'POST', '/vms', { templateId, name: 'broke' });
    expect(res.statusCode).toBe(402);
    expect(res.json().error).toMatchObject({ code: 'INSUFFICIENT_CREDITS', details: { need: RUNNING } });
    expect(res.json().error.message).toMatch(/Not enough credits/);
    const audit = await call(admin, 'GET', `/admin/audit?action=billing.start_refused`);
    expect(audit.json().items.length).toBeGreaterThan(0);
  });

  it('runs a VM whose charges match its rate to the unit, cycle after cycle', async () => {
    // 3 cores: one above the template's default, so 500 + 200 an hour.
    const created = await call(alice, 'POST', '/vms', { templateId, name: 'lab', cores: 3 });
    expect(created.statusCode, created.body).toBe(202);
    vmId = created.json().vm.id;
    const { vm } = await settle(t, alice, vmId);
    expect(vm.powerState).toBe('running');
    const billing = (await call(alice, 'GET', `/vms/${vmId}/billing`)).json();
    expect(billing.rate).toEqual({ runningPerHour: 700, stoppedPerHour: STOPPED });
    expect(billing.monthlyCap).toEqual({ hours: 672, amount: 700 * 672 });

    // Metering starts from the instant the VM became active: charge two whole hours from there.
    const periods = await query<{ starts_at: string }>(
      t.database.db,
      sql`select starts_at::text from vm_rate_periods where vm_id = ${vmId}::uuid and rate_x1024 = ${700 * 1024} order by starts_at limit 1`,
    );
    t0 = new Date(periods.rows[0]!.starts_at);
    await run(new Date(t0.getTime() + HOUR));
    await run(new Date(t0.getTime() + 2 * HOUR));
    const txRes = await call(alice, 'GET', `/me/transactions?kind=usage&vmId=${vmId}`);
    expect(txRes.statusCode, txRes.body).toBe(200);
    const tx = txRes.json();
    const charged = tx.items.reduce((a: number, x: { amount: number }) => a - x.amount, 0);
    // The first charge also covers the seconds between creation and start at the zero rate.
    expect(charged).toBe(1400);
    expect(tx.items[0]).toMatchObject({ kind: 'usage', vm: { id: vmId, name: 'lab' } });
    // Running the same instant again charges nothing.
    const again = await run(new Date(t0.getTime() + 2 * HOUR));
    expect(again.transfers).toBe(0);
    expect((await balance(alice)).posted).toBe(50_000 - 1400);
    const csv = await call(alice, 'GET', `/me/transactions.csv?kind=usage`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\r\n')[0]).toContain('amount_minor_units');
    expect(csv.body).toContain(',-0.0700,-700,');
  });

  it('shuts the VM down in Proxmox when the live balance reaches the limit, and refuses to start it again', async () => {
    // 50,000 at 700 an hour runs out after 71.4 hours.
    await run(new Date(t0.getTime() + 72 * HOUR));
    const b = await balance(alice);
    expect(b.posted).toBe(50_000 - 72 * 700);
    expect(b.exhausted).toBe(true);
    expect(b.hoursLeft).toBe(0);
    const { vm } = await settle(t, alice, vmId);
    expect(vm.powerState).toBe('stopped');
    expect(vm.lastOperation).toMatchObject({ kind: 'shutdown', status: 'succeeded' });
    const pve = createProxmoxClient({
      baseUrl: sim.url,
      tokenId: sim.tokens.admin.id,
      tokenSecret: sim.tokens.admin.secret,
      tls: { fingerprint: sim.fingerprint },
      timeoutMs: 5000,
    });
    expect((await pve.vmStatus(vm.node!, vm.vmid!)).status).toBe('stopped');
    await pve.close();

    const notes = (await call(alice, 'GET', '/me/notifications?unread=true')).json();
    expect(notes.items.map((n: { kind: string }) => n.kind)).toEqual(
      expect.arrayContaining(['auto_shutdown', 'credits_exhausted']),
    );
    const audit = (
      await call(admin, 'GET', `/admin/audit?action=billing.auto_shutdown&targetId=${alice.userId}`)
    ).json();
    expect(audit.items[0].details).toMatchObject({ vms: ['lab'] });

    const start = await call(alice, 'POST', `/vms/${vmId}/start`);
    expect(start.statusCode).toBe(402);
    expect(start.json().error.code).toBe('INSUFFICIENT_CREDITS');

    // The debt is kept, never dropped; a grant brings the VM back.
    await call(admin, 'POST', `/admin/users/${alice.userId}/credits`, {
      kind: 'grant',
      amount: 10_000,
      reason: 'More for the project',
    });
    const ok = await call(alice, 'POST', `/vms/${vmId}/start`);
    expect(ok.statusCode, ok.body).toBe(202);
    expect((await settle(t, alice, vmId)).vm.powerState).toBe('running');
    expect((await t.services.billing.verify()).ok).toBe(true);
  });

  it('keeps every user to their own money', async () => {
    expect((await call(bob, 'GET', `/vms/${vmId}/billing`)).statusCode).toBe(404);
    const bobs = (await call(bob, 'GET', '/me/transactions?pageSize=100')).json();
    expect(bobs.items.every((x: { vm: { id: string } | null }) => x.vm?.id !== vmId)).toBe(true);
    const filtered = (await call(bob, 'GET', `/me/transactions?vmId=${vmId}`)).json();
    expect(filtered.total).toBe(0);
    const alices = (await call(alice, 'GET', '/me/notifications')).json();
    const read = await call(bob, 'POST', '/me/notifications/read', {
      ids: alices.items.map((n: { id: string }) => n.id),
    });
    expect(read.statusCode).toBe(200);
    expect((await call(alice, 'GET', '/me/notifications/unread')).json().unread).toBe(alices.unread);
    for (const url of [
      '/admin/billing/report',
      '/admin/billing/runs',
      '/admin/overview',
      `/admin/users/${alice.userId}/balance`,
    ]) {
      expect((await call(bob, 'GET', url)).statusCode, url).toBe(403);
    }
    for (const url of [
      '/me/transactions?from=yesterday',
      '/me/transactions?pageSize=1000',
      '/me/spend?days=0',
      `/vms/not-a-uuid/billing`,
    ]) {
      const res = await call(alice, 'GET', url);
      expect(res.statusCode, url).toBe(400);
    }
  });

  it('gives admins the report, the runs and the overview', async () => {
    const report = (
      await call(admin, 'GET', `/admin/billing/report?to=${new Date(t0.getTime() + 73 * HOUR).toISOString()}`)
    ).json();
    expect(report.totals.usage).toBe(72 * 700);
    expect(report.topConsumers[0]).toMatchObject({ userId: alice.userId, amount: 72 * 700 });
    expect(report.byTemplate[0]).toMatchObject({ id: templateId, amount: 72 * 700 });
    const runs = (await call(admin, 'GET', '/admin/billing/runs')).json();
    expect(runs.items[0]).toMatchObject({ status: 'succeeded', trigger: 'manual' });
    const overview = (await call(admin, 'GET', '/admin/overview')).json();
    expect(overview.vms.running).toBeGreaterThanOrEqual(1);
    expect(overview.lastBillingRun).not.toBeNull();
    const users = (await call(admin, 'GET', `/admin/users?sort=balance&order=asc`)).json();
    expect(users.items.find((u: { id: string }) => u.id === alice.userId)).toMatchObject({ vmCount: 1 });
  });
});
