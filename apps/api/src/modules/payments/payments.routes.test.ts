import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, ledgerTransfers, notifications, payments } from '../../db/schema/index.js';
import { STRIPE_API_VERSION } from '../../integrations/stripe/client.js';
import { derivedId } from '../billing/billing.ledger.js';
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

const SECRET_KEY = `sk_test_${randomBytes(12).toString('hex')}`;
const WEBHOOK_SECRET = `whsec_${randomBytes(16).toString('hex')}`;
const PUBLIC_URL = 'https://cloud.example.org';

/** What our client sent to the stand-in for Stripe's API. */
interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  form: Record<string, string>;
}

/**
 * A tiny local stand-in for api.stripe.com: records each request and answers
 * with the next scripted reply, or a fresh Checkout Session. Nothing leaves
 * the machine.
 */
function fakeStripe() {
  const requests: Recorded[] = [];
  const replies: { status: number; body: object; headers?: Record<string, string> }[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        form: Object.fromEntries(new URLSearchParams(body)),
      });
      const scripted = replies.shift();
      const id = `cs_test_${++n}_${randomBytes(6).toString('hex')}`;
      const reply = scripted ?? {
        status: 200,
        body: { id, object: 'checkout.session', mode: 'payment', url: `https://checkout.stripe.com/c/pay/${id}` },
      };
      res.writeHead(reply.status, { 'content-type': 'application/json', 'request-id': `req_${n}`, ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  return {
    requests,
    replies,
    listen: () => new Promise<string>((ok) => server.listen(0, '127.0.0.1', () => ok(url()))),
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
  function url() {
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
}

const stripe = fakeStripe();
let tdb: TestDatabase;
let t: TestApp;
let off: TestApp;
let admin: Client;
const logLines: string[] = [];

beforeAll(async () => {
  const apiUrl = await stripe.listen();
  tdb = await createTestDatabase();
  t = await buildTestApp({
    database: tdb.database,
    env: {
      INITIAL_CREDITS: '0',
      PUBLIC_URL,
      ENABLE_PAYMENTS: 'true',
      STRIPE_SECRET_KEY: SECRET_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_URL: apiUrl,
    },
    logDestination: { write: (s) => void logLines.push(s) },
  });
  // The same database, as an operator who left payments off would run it.
  off = await buildTestApp({ database: tdb.database, env: { INITIAL_CREDITS: '0' } });
  admin = await createAdmin(t);
});
afterAll(async () => {
  await off?.close();
  await t?.close();
  await tdb?.drop();
  await stripe.close();
});
afterEach(async () => {
  expect(await t.services.billing.verify()).toMatchObject({ ok: true, violation: null });
});

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const call = (app: TestApp, method: Method, url: string, who: Client | null, payload?: unknown) =>
  app.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: who ? auth(who) : {},
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
const api = (method: Method, url: string, who: Client | null, payload?: unknown) => call(t, method, url, who, payload);

const balanceOf = async (userId: string) => (await t.services.billing.balance(userId)).posted;

async function createPackage(over: Partial<{ name: string; credits: number; priceCents: number; active: boolean }>) {
  const res = await api('POST', '/admin/billing/packages', admin, {
    name: over.name ?? `Pack ${randomBytes(3).toString('hex')}`,
    credits: over.credits ?? 1_000_000,
    priceCents: over.priceCents ?? 1000,
    currency: 'EUR',
    active: over.active ?? true,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; name: string; credits: number; priceCents: number; currency: string };
}

/** A user checks a package out; returns the session our client created and what it sent. */
async function checkout(who: Client, packageId: string) {
  const before = stripe.requests.length;
  const res = await api('POST', '/billing/checkout', who, { packageId });
  expect(res.statusCode, res.body).toBe(200);
  expect(stripe.requests).toHaveLength(before + 1);
  return { ...(res.json() as { url: string; sessionId: string }), sent: stripe.requests.at(-1)! };
}

const eventId = () => `evt_${randomBytes(8).toString('hex')}`;

function event(type: string, object: object, id = eventId()) {
  return {
    id,
    object: 'event',
    type,
    api_version: STRIPE_API_VERSION,
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  };
}

/** A completed, paid session as Stripe would send it, built from what our client asked Stripe for. */
function paidSession(c: Awaited<ReturnType<typeof checkout>>, paymentIntent: string, over: object = {}) {
  const metadata = Object.fromEntries(
    Object.entries(c.sent.form)
      .filter(([k]) => k.startsWith('metadata['))
      .map(([k, v]) => [k.slice('metadata['.length, -1), v]),
  );
  return {
    id: c.sessionId,
    object: 'checkout.session',
    mode: 'payment',
    status: 'complete',
    payment_status: 'paid',
    client_reference_id: c.sent.form.client_reference_id,
    metadata,
    amount_total: Number(c.sent.form['line_items[0][price_data][unit_amount]']),
    currency: c.sent.form['line_items[0][price_data][currency]'],
    payment_intent: paymentIntent,
    ...over,
  };
}

const charge = (paymentIntent: string, amount: number, refunded: number) => ({
  id: `ch_${paymentIntent.slice(3)}`,
  object: 'charge',
  payment_intent: paymentIntent,
  amount,
  amount_refunded: refunded,
  refunded: refunded === amount,
});

const refund = (id: string, paymentIntent: string, amount: number, status = 'succeeded') => ({
  id,
  object: 'refund',
  amount,
  status,
  payment_intent: paymentIntent,
  charge: `ch_${paymentIntent.slice(3)}`,
});

/** Delivers an event to the webhook, signed as Stripe signs it (the SDK's own helper). */
function deliver(evt: object, opts: { secret?: string; header?: string | null; body?: string } = {}) {
  const payload = opts.body ?? JSON.stringify(evt);
  const header =
    opts.header === undefined
      ? Stripe.webhooks.generateTestHeaderString({ payload, secret: opts.secret ?? WEBHOOK_SECRET })
      : opts.header;
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/billing/stripe/webhook',
    headers: { 'content-type': 'application/json', ...(header !== null ? { 'stripe-signature': header } : {}) },
    payload,
  });
}

async function transfersOf(userId: string, kind: 'payment' | 'refund') {
  return t.database.db
    .select()
    .from(ledgerTransfers)
    .where(and(eq(ledgerTransfers.userId, userId), eq(ledgerTransfers.kind, kind)));
}

async function countWhere(table: typeof auditLog | typeof notifications, userId: string, what: string) {
  if (table === auditLog) {
    return (
      await t.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, what), eq(auditLog.targetId, userId)))
    ).length;
  }
  return (
    await t.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, userId), eq(notifications.kind, what as 'payment_received')))
  ).length;
}

/** A user who has bought a package and been credited for it. */
async function paidUser(pkg: { id: string }) {
  const user = await register(t.app);
  const c = await checkout(user, pkg.id);
  const pi = `pi_${randomBytes(8).toString('hex')}`;
  const res = await deliver(event('checkout.session.completed', paidSession(c, pi)));
  expect(res.json()).toEqual({ received: true, outcome: 'granted' });
  return { user, pi, c };
}

describe('credit packages', () => {
  it('an admin creates, changes and withdraws packages, each change audited; users see the active ones', async () => {
    const a = await createPackage({ name: 'Starter', credits: 500_000, priceCents: 500 });
    expect(a).toMatchObject({ name: 'Starter', credits: 500_000, priceCents: 500, currency: 'eur', active: true });
    const b = await createPackage({ name: 'Hidden', active: false });
    const user = await register(t.app);

    const mine = (await api('GET', '/billing/packages', user)).json().items.map((p: { id: string }) => p.id);
    expect(mine).toContain(a.id);
    expect(mine).not.toContain(b.id);
    const all = (await api('GET', '/admin/billing/packages', admin)).json().items.map((p: { id: string }) => p.id);
    expect(all).toEqual(expect.arrayContaining([a.id, b.id]));

    const changed = await api('PATCH', `/admin/billing/packages/${a.id}`, admin, {
      name: 'Starter+',
      credits: 600_000,
      priceCents: 550,
      currency: 'eur',
      active: false,
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ id: a.id, name: 'Starter+', credits: 600_000, active: false });
    expect((await api('DELETE', `/admin/billing/packages/${b.id}`, admin)).statusCode).toBe(204);
    expect((await api('DELETE', `/admin/billing/packages/${b.id}`, admin)).statusCode).toBe(404);

    const entries = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'billing.package_changed'));
    const ofA = entries.filter((e) => e.targetId === a.id).map((e) => e.details);
    expect(ofA).toEqual([
      expect.objectContaining({ change: 'created', before: null }),
      expect.objectContaining({
        change: 'updated',
        before: expect.objectContaining({ name: 'Starter', credits: 500_000 }),
        after: expect.objectContaining({ name: 'Starter+', credits: 600_000, active: false }),
      }),
    ]);
    expect(entries.find((e) => e.targetId === b.id && e.details.change === 'deleted')?.actorId).toBe(admin.userId);
  });

  it('only admins manage packages, and bad ones are 400 with the field', async () => {
    const user = await register(t.app);
    expect((await api('POST', '/admin/billing/packages', user, { name: 'x' })).statusCode).toBe(403);
    expect((await api('GET', '/admin/billing/packages', user)).statusCode).toBe(403);
    expect((await api('GET', '/billing/packages', null)).statusCode).toBe(401);
    const bad = async (body: unknown, field: string) => {
      const res = await api('POST', '/admin/billing/packages', admin, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.details.fields.map((f: { path: string }) => f.path)).toContain(field);
    };
    const good = { name: 'Ok', credits: 10_000, priceCents: 100, currency: 'usd' };
    await bad({ ...good, priceCents: 10 }, 'priceCents');
    await bad({ ...good, currency: 'euro' }, 'currency');
    await bad({ ...good, credits: -1 }, 'credits');
    await bad({ ...good, credits: 1.5 }, 'credits');
    await bad({ ...good, name: '' }, 'name');
    const notJson = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/billing/packages',
      headers: { ...auth(admin), 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('MALFORMED_REQUEST');
    const badId = await api('PATCH', '/admin/billing/packages/not-a-uuid', admin, good);
    expect(badId.statusCode).toBe(400);
  });
});

describe('checkout', () => {
  it('asks Stripe for a Checkout Session of the package, for the signed-in user, and returns its page', async () => {
    const pkg = await createPackage({ name: 'Research 100', credits: 1_000_000, priceCents: 1250 });
    const user = await register(t.app);
    const c = await checkout(user, pkg.id);
    expect(c.url).toBe(`https://checkout.stripe.com/c/pay/${c.sessionId}`);

    expect(c.sent.method).toBe('POST');
    expect(c.sent.path).toBe('/v1/checkout/sessions');
    expect(c.sent.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(c.sent.headers['stripe-version']).toBe(STRIPE_API_VERSION);
    expect(c.sent.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(c.sent.form).toMatchObject({
      mode: 'payment',
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][currency]': 'eur',
      'line_items[0][price_data][unit_amount]': '1250',
      'line_items[0][price_data][product_data][name]': 'Research 100',
      client_reference_id: user.userId,
      customer_email: user.email,
      'metadata[userId]': user.userId,
      'metadata[packageId]': pkg.id,
      'metadata[credits]': '1000000',
      success_url: `${PUBLIC_URL}/credits?checkout=success`,
      cancel_url: `${PUBLIC_URL}/credits?checkout=cancelled`,
    });
    const [row] = await t.database.db.select().from(payments).where(eq(payments.checkoutSessionId, c.sessionId));
    expect(row).toMatchObject({ userId: user.userId, credits: 1_000_000, amountCents: 1250, status: 'open' });
    // Nothing is granted before Stripe says it is paid.
    expect(await balanceOf(user.userId)).toBe(0);
  });

  it('always checks out for the caller: a user id in the body is ignored', async () => {
    const pkg = await createPackage({});
    const victim = await register(t.app);
    const other = await register(t.app);
    const res = await api('POST', '/billing/checkout', other, { packageId: pkg.id, userId: victim.userId });
    expect(res.statusCode).toBe(200);
    const sent = stripe.requests.at(-1)!;
    expect(sent.form.client_reference_id).toBe(other.userId);
    expect(sent.form['metadata[userId]']).toBe(other.userId);
    const done = await deliver(
      event('checkout.session.completed', paidSession({ ...res.json(), sent }, `pi_${randomBytes(8).toString('hex')}`)),
    );
    expect(done.json().outcome).toBe('granted');
    expect(await balanceOf(other.userId)).toBe(pkg.credits);
    expect(await balanceOf(victim.userId)).toBe(0);
  });

  it('refuses unknown, inactive and malformed packages without calling Stripe', async () => {
    const user = await register(t.app);
    const inactive = await createPackage({ active: false });
    const before = stripe.requests.length;
    const unknown = await api('POST', '/billing/checkout', user, { packageId: '00000000-0000-4000-8000-00000000abcd' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('NOT_FOUND');
    expect((await api('POST', '/billing/checkout', user, { packageId: inactive.id })).statusCode).toBe(404);
    for (const body of [{}, { packageId: 'nope' }, { packageId: 42 }, []]) {
      const res = await api('POST', '/billing/checkout', user, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/v1/billing/checkout',
      headers: { ...auth(user), 'content-type': 'application/json' },
      payload: 'packageId=1',
    });
    expect(text.statusCode).toBe(400);
    expect((await api('POST', '/billing/checkout', null, { packageId: inactive.id })).statusCode).toBe(401);
    expect(stripe.requests.length).toBe(before);
  });

  it('maps Stripe failures to 502 with a clear message, retries with the same idempotency key, never logs the key', async () => {
    const pkg = await createPackage({});
    const user = await register(t.app);

    stripe.replies.push({
      status: 401,
      body: { error: { type: 'invalid_request_error', message: `Invalid API Key provided: ${SECRET_KEY}` } },
    });
    const refused = await api('POST', '/billing/checkout', user, { packageId: pkg.id });
    expect(refused.statusCode).toBe(502);
    expect(refused.json().error).toMatchObject({
      code: 'PAYMENT_PROVIDER_UNAVAILABLE',
      details: { kind: 'AUTHENTICATION', status: 401 },
    });
    expect(refused.json().error.message).toMatch(/STRIPE_SECRET_KEY/);
    expect(refused.body).not.toContain(SECRET_KEY);

    // A 500 is retried by the SDK with the same idempotency key, so Stripe creates one session.
    const before = stripe.requests.length;
    stripe.replies.push({ status: 500, body: { error: { type: 'api_error', message: 'boom' } } });
    const retried = await api('POST', '/billing/checkout', user, { packageId: pkg.id });
    expect(retried.statusCode).toBe(200);
    const [first, second] = stripe.requests.slice(before);
    expect(second!.headers['idempotency-key']).toBe(first!.headers['idempotency-key']);

    stripe.replies.push(
      ...[0, 1, 2].map(() => ({
        status: 503,
        body: { error: { type: 'api_error', message: 'down' } },
        headers: { 'stripe-should-retry': 'false' },
      })),
    );
    const down = await api('POST', '/billing/checkout', user, { packageId: pkg.id });
    expect(down.statusCode).toBe(502);
    expect(down.json().error.details.kind).toBe('UNAVAILABLE');
    stripe.replies.length = 0;

    const logs = logLines.join('\n');
    expect(logs).toContain('stripe: creating a checkout session failed');
    expect(logs).not.toContain(SECRET_KEY);
    expect(logs).not.toContain(WEBHOOK_SECRET);
  });
});

describe('the Stripe webhook', () => {
  it('grants a paid session’s credits once, however often the event is delivered', async () => {
    const pkg = await createPackage({ credits: 2_500_000, priceCents: 2000 });
    const user = await register(t.app);
    const c = await checkout(user, pkg.id);
    const pi = `pi_${randomBytes(8).toString('hex')}`;
    const completed = event('checkout.session.completed', paidSession(c, pi));

    const first = await deliver(completed);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ received: true, outcome: 'granted' });
    expect(await balanceOf(user.userId)).toBe(2_500_000);

    expect((await deliver(completed)).json()).toEqual({ received: true, outcome: 'duplicate' });
    // Another event about the same session (a second endpoint, a resend under a new id) grants nothing more.
    const again = await deliver(event('checkout.session.async_payment_succeeded', paidSession(c, pi)));
    expect(again.json().outcome).toBe('recorded');
    expect(await balanceOf(user.userId)).toBe(2_500_000);

    const [t1, ...more] = await transfersOf(user.userId, 'payment');
    expect(more).toHaveLength(0);
    expect(t1).toMatchObject({
      id: derivedId('stripe-session', c.sessionId),
      amount: 2_500_000,
      debitAccountId: '00000000-0000-4000-8000-000000000003',
      externalRef: c.sessionId,
    });
    const [row] = await t.database.db.select().from(payments).where(eq(payments.checkoutSessionId, c.sessionId));
    expect(row).toMatchObject({ status: 'paid', paymentIntentId: pi, transferId: t1!.id });
    expect(await countWhere(notifications, user.userId, 'payment_received')).toBe(1);
    expect(await countWhere(auditLog, user.userId, 'billing.payment_received')).toBe(1);

    // The user sees it on their statement as a payment.
    const statement = (await api('GET', '/me/transactions', user)).json();
    expect(statement.items[0]).toMatchObject({ kind: 'payment', amount: 2_500_000 });
  });

  it('grants once when the same event arrives twice at the same time', async () => {
    const pkg = await createPackage({ credits: 700_000 });
    const user = await register(t.app);
    const c = await checkout(user, pkg.id);
    const completed = event('checkout.session.completed', paidSession(c, `pi_${randomBytes(8).toString('hex')}`));
    const results = await Promise.all([deliver(completed), deliver(completed), deliver(completed)]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(results.map((r) => r.json().outcome).sort()).toEqual(['duplicate', 'duplicate', 'granted']);
    expect(await balanceOf(user.userId)).toBe(700_000);
    expect(await transfersOf(user.userId, 'payment')).toHaveLength(1);
  });

  it('grants once when two different events about one session arrive together', async () => {
    const pkg = await createPackage({ credits: 800_000 });
    const user = await register(t.app);
    const c = await checkout(user, pkg.id);
    const pi = `pi_${randomBytes(8).toString('hex')}`;
    const results = await Promise.all([
      deliver(event('checkout.session.completed', paidSession(c, pi))),
      deliver(event('checkout.session.async_payment_succeeded', paidSession(c, pi))),
    ]);
    expect(results.map((r) => r.json().outcome).sort()).toEqual(['granted', 'recorded']);
    expect(await balanceOf(user.userId)).toBe(800_000);
  });

  it('waits for the money of a delayed payment method', async () => {
    const pkg = await createPackage({ credits: 300_000 });
    const user = await register(t.app);
    const c = await checkout(user, pkg.id);
    const pi = `pi_${randomBytes(8).toString('hex')}`;
    const unpaid = await deliver(event('checkout.session.completed', paidSession(c, pi, { payment_status: 'unpaid' })));
    expect(unpaid.json().outcome).toBe('recorded');
    expect(await balanceOf(user.userId)).toBe(0);
    const paid = await deliver(event('checkout.session.async_payment_succeeded', paidSession(c, pi)));
    expect(paid.json().outcome).toBe('granted');
    expect(await balanceOf(user.userId)).toBe(300_000);
  });

  it('grants a session it has no record of from the metadata our checkout gave it', async () => {
    const pkg = await createPackage({ credits: 400_000 });
    const user = await register(t.app);
    const sessionId = `cs_test_lost_${randomBytes(6).toString('hex')}`;
    const res = await deliver(
      event('checkout.session.completed', {
        id: sessionId,
        object: 'checkout.session',
        mode: 'payment',
        payment_status: 'paid',
        client_reference_id: user.userId,
        metadata: { userId: user.userId, packageId: pkg.id, credits: '400000' },
        amount_total: 1000,
        currency: 'eur',
        payment_intent: `pi_${randomBytes(8).toString('hex')}`,
      }),
    );
    expect(res.json().outcome).toBe('granted');
    expect(await balanceOf(user.userId)).toBe(400_000);
    // A session that is not one of ours (another product on the same Stripe account) is acknowledged and ignored.
    const foreign = await deliver(
      event('checkout.session.completed', {
        id: 'cs_test_foreign',
        object: 'checkout.session',
        mode: 'payment',
        payment_status: 'paid',
        metadata: {},
        payment_intent: 'pi_foreign',
      }),
    );
    expect(foreign.json()).toEqual({ received: true, outcome: 'ignored' });
  });

  it('reverses a full refund once, even replayed, and lets the wallet go below zero', async () => {
    const pkg = await createPackage({ credits: 1_000_000, priceCents: 1000 });
    const { user, pi } = await paidUser(pkg);
    // The user spends some of it before asking for their money back.
    const spent = await api('POST', `/admin/users/${user.userId}/credits`, admin, {
      kind: 'deduction',
      amount: 300_000,
      reason: 'stands in for usage',
    });
    expect(spent.statusCode).toBe(201);

    const refunded = event('charge.refunded', charge(pi, 1000, 1000));
    const res = await deliver(refunded);
    expect(res.json()).toEqual({ received: true, outcome: 'refunded' });
    expect(await balanceOf(user.userId)).toBe(-300_000);

    expect((await deliver(refunded)).json().outcome).toBe('duplicate');
    // The same refund told again by its own event takes nothing more.
    expect((await deliver(event('refund.created', refund('re_full_1', pi, 1000)))).json().outcome).toBe('recorded');
    expect(await balanceOf(user.userId)).toBe(-300_000);

    const refunds = await transfersOf(user.userId, 'refund');
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ amount: 1_000_000, creditAccountId: '00000000-0000-4000-8000-000000000003' });
    expect(await countWhere(notifications, user.userId, 'payment_refunded')).toBe(1);
    const [entry] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'billing.payment_refunded'), eq(auditLog.targetId, user.userId)));
    expect(entry!.details).toMatchObject({ credits: 1_000_000, refundedCents: 1000, debt: 300_000 });
    const balance = (await api('GET', '/me/balance', user)).json();
    expect(balance.posted).toBe(-300_000);
  });

  it('reverses the share of a partial refund, each refund once, in whatever order events come', async () => {
    // 1000 minor units for 300 cents: thirds do not divide evenly.
    const pkg = await createPackage({ credits: 1000, priceCents: 300 });
    const { user, pi } = await paidUser(pkg);
    expect(await balanceOf(user.userId)).toBe(1000);

    const r1 = event('refund.created', refund('re_part_1', pi, 100));
    expect((await deliver(r1)).json().outcome).toBe('refunded');
    expect(await balanceOf(user.userId)).toBe(667);
    const [first] = await transfersOf(user.userId, 'refund');
    expect(first).toMatchObject({ id: derivedId('stripe-refund', 're_part_1'), amount: 333, externalRef: 're_part_1' });
    expect((await deliver(r1)).json().outcome).toBe('duplicate');
    // refund.updated of the same refund, and charge.refunded with the same total: nothing more.
    expect((await deliver(event('refund.updated', refund('re_part_1', pi, 100)))).json().outcome).toBe('recorded');
    expect((await deliver(event('charge.refunded', charge(pi, 300, 100)))).json().outcome).toBe('recorded');
    expect(await balanceOf(user.userId)).toBe(667);

    // A second refund, told first by the charge's running total, then by its own event.
    expect((await deliver(event('charge.refunded', charge(pi, 300, 200)))).json().outcome).toBe('refunded');
    expect(await balanceOf(user.userId)).toBe(334);
    expect((await deliver(event('refund.created', refund('re_part_2', pi, 100)))).json().outcome).toBe('recorded');
    // An older running total arriving late changes nothing.
    expect((await deliver(event('charge.refunded', charge(pi, 300, 100)))).json().outcome).toBe('recorded');
    expect(await balanceOf(user.userId)).toBe(334);

    // A pending refund counts; a failed one never takes credits.
    expect((await deliver(event('refund.created', refund('re_part_x', pi, 100, 'failed')))).json().outcome).toBe(
      'recorded',
    );
    expect(await balanceOf(user.userId)).toBe(334);
    expect((await deliver(event('refund.created', refund('re_part_3', pi, 100, 'pending')))).json().outcome).toBe(
      'refunded',
    );
    // The last third takes exactly what is left: the shares add up to the credits bought.
    expect(await balanceOf(user.userId)).toBe(0);
    const amounts = (await transfersOf(user.userId, 'refund')).map((x) => x.amount).sort();
    expect(amounts).toEqual([333, 333, 334]);
    const [row] = await t.database.db.select().from(payments).where(eq(payments.paymentIntentId, pi));
    expect(row).toMatchObject({ refundedCents: 300, refundedCredits: 1000 });
    expect(await countWhere(notifications, user.userId, 'payment_refunded')).toBe(3);
    expect((await deliver(event('charge.refunded', charge(pi, 300, 300)))).json().outcome).toBe('recorded');
  });

  it('reverses once when the refund and the charge’s total arrive together', async () => {
    const pkg = await createPackage({ credits: 1_000_000, priceCents: 1000 });
    const { user, pi } = await paidUser(pkg);
    const results = await Promise.all([
      deliver(event('refund.created', refund('re_race_1', pi, 400))),
      deliver(event('charge.refunded', charge(pi, 1000, 400))),
      deliver(event('refund.updated', refund('re_race_1', pi, 400))),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(results.filter((r) => r.json().outcome === 'refunded')).toHaveLength(1);
    expect(await balanceOf(user.userId)).toBe(600_000);
  });

  it('takes nothing back for a payment an administrator already reversed', async () => {
    const pkg = await createPackage({ credits: 50_000 });
    const { user, pi, c } = await paidUser(pkg);
    const reversed = await api(
      'POST',
      `/admin/billing/transactions/${derivedId('stripe-session', c.sessionId)}/reverse`,
      admin,
      {
        reason: 'refunded by hand',
      },
    );
    expect(reversed.statusCode, reversed.body).toBe(201);
    expect((await deliver(event('charge.refunded', charge(pi, 1000, 1000)))).json().outcome).toBe('recorded');
    expect(await balanceOf(user.userId)).toBe(0);
  });

  it('acknowledges events it does not handle, and refunds of payments that are not ours', async () => {
    expect((await deliver(event('customer.created', { id: 'cus_1', object: 'customer' }))).json()).toEqual({
      received: true,
      outcome: 'ignored',
    });
    expect((await deliver(event('charge.refunded', charge('pi_unknown', 500, 500)))).json().outcome).toBe('ignored');
  });

  it('answers a bad signature with 400 in our error shape, and applies nothing', async () => {
    const pkg = await createPackage({ credits: 900_000 });
    const user = await register(t.app);
    const c = await checkout(user, pkg.id);
    const evt = event('checkout.session.completed', paidSession(c, `pi_${randomBytes(8).toString('hex')}`));
    const payload = JSON.stringify(evt);

    const cases = [
      await deliver(evt, { secret: `whsec_${randomBytes(16).toString('hex')}` }),
      await deliver(evt, { header: null }),
      await deliver(evt, { header: 't=1,v1=deadbeef' }),
      // Signed, then tampered with: the credits changed after signing.
      await deliver(evt, {
        header: Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
        body: payload.replace('"metadata":{', '"metadata":{"x":"1",'),
      }),
      // Signed correctly, but long ago: a replay of a captured delivery.
      await deliver(evt, {
        header: Stripe.webhooks.generateTestHeaderString({
          payload,
          secret: WEBHOOK_SECRET,
          timestamp: Math.floor(Date.now() / 1000) - 3600,
        }),
      }),
    ];
    for (const res of cases) {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        error: { code: 'WEBHOOK_SIGNATURE_INVALID', message: expect.any(String) },
        requestId: expect.any(String),
      });
    }
    expect(await balanceOf(user.userId)).toBe(0);
    // Still deliverable once signed properly: a refused delivery recorded nothing.
    expect((await deliver(evt)).json().outcome).toBe('granted');
  });

  it('answers malformed deliveries with 400, never 500', async () => {
    const signedBody = (body: string) =>
      deliver(
        {},
        { body, header: Stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET }) },
      );
    const notJson = await signedBody('{"id": "evt_1", ');
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('MALFORMED_REQUEST');
    for (const body of [
      '"just a string"',
      '{"type":"checkout.session.completed"}',
      JSON.stringify(event('checkout.session.completed', { object: 'checkout.session' })),
      JSON.stringify({ id: 'evt_no_data', type: 'charge.refunded' }),
      JSON.stringify(event('refund.created', { id: 're_1', amount: -5, payment_intent: 'pi_1' })),
    ]) {
      const res = await signedBody(body);
      expect(res.statusCode, body).toBe(400);
      expect(res.json().error.code).toBe('MALFORMED_REQUEST');
    }
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/v1/billing/stripe/webhook',
      headers: { 'content-type': 'text/plain', 'stripe-signature': 't=1,v1=00' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(415);
    const huge = await deliver({}, { body: JSON.stringify({ pad: 'x'.repeat(t.config.BODY_LIMIT_BYTES) }) });
    expect(huge.statusCode).toBe(413);
  });

  it('is public, and the JSON routes around it still parse JSON', async () => {
    const doc = (await api('GET', '/openapi.json', null)).json();
    const hook = doc.paths['/api/v1/billing/stripe/webhook'].post;
    expect(hook.operationId).toBe('receiveStripeEvent');
    expect(hook.security).toBeUndefined();
    expect(doc.paths['/api/v1/billing/checkout'].post.operationId).toBe('startCheckout');
    expect(doc.paths['/api/v1/admin/billing/packages/{id}'].patch.operationId).toBe('updateCreditPackage');
    const pkg = await createPackage({});
    expect(pkg.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('with payments off', () => {
  it('answers 404 PAYMENTS_DISABLED everywhere but the admin list', async () => {
    const offAdmin = await createAdmin(off);
    const user = await register(off.app);
    const pkg = await createPackage({});
    const body = { name: 'x', credits: 1, priceCents: 100, currency: 'eur' };
    const cases = [
      await call(off, 'GET', '/billing/packages', user),
      await call(off, 'POST', '/billing/checkout', user, { packageId: pkg.id }),
      await call(off, 'POST', '/admin/billing/packages', offAdmin, body),
      await call(off, 'PATCH', `/admin/billing/packages/${pkg.id}`, offAdmin, body),
      await call(off, 'DELETE', `/admin/billing/packages/${pkg.id}`, offAdmin),
      await off.app.inject({
        method: 'POST',
        url: '/api/v1/billing/stripe/webhook',
        headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
        payload: '{}',
      }),
    ];
    for (const res of cases) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().error.code).toBe('PAYMENTS_DISABLED');
    }
    const list = await call(off, 'GET', '/admin/billing/packages', offAdmin);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((p: { id: string }) => p.id)).toContain(pkg.id);
    expect((await call(off, 'GET', '/billing/settings', user)).json().paymentsEnabled).toBe(false);
  });
});
