import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auth,
  buildTestApp,
  createAdmin,
  createTestDatabase,
  nextIp,
  register,
  STRONG_PASSWORD,
  type Client,
  type TestApp,
  type TestDatabase,
} from '../../test/harness.js';

let tdb: TestDatabase;
let t: TestApp;
let admin: Client;

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await buildTestApp({ database: tdb.database });
  admin = await createAdmin(t);
});
afterAll(async () => {
  await t.close();
  await tdb.drop();
});

const call = (c: Client | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: c ? auth(c) : {}, ...(payload ? { payload } : {}) });

async function lastAudit(targetId: string, action?: 'user.suspended') {
  const page = await t.services.audit.search({ page: 1, pageSize: 1, targetId, action });
  return page.items[0]!;
}

describe('admin: list and view users', () => {
  it('searches, filters, sorts and pages', async () => {
    const tag = `zz${Date.now()}`;
    for (const n of ['carol', 'alice', 'bob'])
      await register(t.app, { email: `${n}.${tag}@example.org`, displayName: `${n} ${tag}` });
    const page1 = await call(admin, 'GET', `/admin/users?q=${tag}&sort=email&order=asc&pageSize=2`);
    expect(page1.statusCode).toBe(200);
    const body = page1.json();
    expect(body.total).toBe(3);
    expect(body.items.map((u: { email: string }) => u.email)).toEqual([
      `alice.${tag}@example.org`,
      `bob.${tag}@example.org`,
    ]);
    expect(body.items[0]).toMatchObject({ role: 'user', state: 'active', activeSessions: 1, stateReason: null });
    const page2 = (await call(admin, 'GET', `/admin/users?q=${tag}&sort=email&order=asc&pageSize=2&page=2`)).json();
    expect(page2.items.map((u: { email: string }) => u.email)).toEqual([`carol.${tag}@example.org`]);
    const admins = (await call(admin, 'GET', '/admin/users?role=admin')).json();
    expect(admins.items.every((u: { role: string }) => u.role === 'admin')).toBe(true);
    // A LIKE wildcard in the search is a literal character, not "match anything".
    expect((await call(admin, 'GET', '/admin/users?q=%25')).json().total).toBe(0);
  });

  it('validates query parameters', async () => {
    for (const q of ['page=0', 'pageSize=1000', 'sort=password', 'order=sideways', 'role=root', 'state=deleted']) {
      const res = await call(admin, 'GET', `/admin/users?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.details.fields[0].path).toMatch(/^querystring\./);
    }
  });

  it('shows one user; 404 for an unknown id; 400 for a malformed one', async () => {
    const u = await register(t.app);
    expect((await call(admin, 'GET', `/admin/users/${u.userId}`)).json()).toMatchObject({
      id: u.userId,
      email: u.email,
    });
    expect((await call(admin, 'GET', '/admin/users/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await call(admin, 'GET', '/admin/users/123')).statusCode).toBe(400);
  });

  it('is for admins only: 401 without a token, 403 for a user', async () => {
    const u = await register(t.app);
    for (const [method, url, body] of [
      ['GET', '/admin/users', undefined],
      ['GET', `/admin/users/${u.userId}`, undefined],
      ['PATCH', `/admin/users/${u.userId}/role`, { role: 'admin' }],
      ['POST', `/admin/users/${u.userId}/suspend`, { reason: 'because' }],
      ['POST', `/admin/users/${u.userId}/unsuspend`, undefined],
      ['POST', `/admin/users/${u.userId}/ban`, { reason: 'because' }],
      ['POST', `/admin/users/${u.userId}/unban`, undefined],
    ] as const) {
      expect((await call(null, method, url, body)).statusCode, `${method} ${url}`).toBe(401);
      const asUser = await call(u, method, url, body);
      expect(asUser.statusCode, `${method} ${url}`).toBe(403);
      expect(asUser.json().error.code).toBe('FORBIDDEN');
    }
    expect((await call(admin, 'GET', `/admin/users/${u.userId}`)).json().role).toBe('user');
  });
});

describe('admin: suspend, ban and roles', () => {
  it('suspension bites at once: the next request, the refresh and a new login all fail with the reason', async () => {
    const u = await register(t.app);
    expect((await call(u, 'GET', '/me')).statusCode).toBe(200);
    const res = await call(admin, 'POST', `/admin/users/${u.userId}/suspend`, { reason: 'Unpaid invoice' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'suspended', stateReason: 'Unpaid invoice', activeSessions: 0 });

    const next = await call(u, 'GET', '/me');
    expect(next.statusCode).toBe(403);
    expect(next.json().error).toMatchObject({
      code: 'ACCOUNT_SUSPENDED',
      message: 'Your account is suspended: Unpaid invoice',
    });
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      cookies: { um_refresh: u.cookie },
    });
    expect(refresh.statusCode).toBe(403);
    expect(refresh.json().error.code).toBe('ACCOUNT_SUSPENDED');
    const relogin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'x-forwarded-for': nextIp() },
      payload: { email: u.email, password: STRONG_PASSWORD },
    });
    expect(relogin.statusCode).toBe(403);
    expect(relogin.json().error.code).toBe('ACCOUNT_SUSPENDED');

    const entry = await lastAudit(u.userId, 'user.suspended');
    expect(entry).toMatchObject({
      action: 'user.suspended',
      actorId: admin.userId,
      details: { reason: 'Unpaid invoice', before: { state: 'active' }, after: { state: 'suspended' } },
    });

    expect((await call(admin, 'POST', `/admin/users/${u.userId}/unsuspend`)).json()).toMatchObject({
      state: 'active',
      stateReason: null,
    });
    const back = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'x-forwarded-for': nextIp() },
      payload: { email: u.email, password: STRONG_PASSWORD },
    });
    expect(back.statusCode).toBe(200);
    const logins = await t.services.audit.search({ page: 1, pageSize: 5, actorId: u.userId, action: 'auth.login' });
    expect(logins.total).toBe(1);
  });

  it('bans and unbans; refuses transitions that make no sense', async () => {
    const u = await register(t.app);
    expect((await call(admin, 'POST', `/admin/users/${u.userId}/unsuspend`)).json().error.code).toBe(
      'INVALID_STATE_TRANSITION',
    );
    expect(
      (await call(admin, 'POST', `/admin/users/${u.userId}/ban`, { reason: 'Abuse of resources' })).json().state,
    ).toBe('banned');
    expect((await call(u, 'GET', '/me')).json().error.code).toBe('ACCOUNT_BANNED');
    expect((await call(admin, 'POST', `/admin/users/${u.userId}/suspend`, { reason: 'again' })).statusCode).toBe(409);
    expect((await call(admin, 'POST', `/admin/users/${u.userId}/unban`)).json().state).toBe('active');
    expect((await call(admin, 'POST', `/admin/users/${u.userId}/ban`, { reason: '' })).statusCode).toBe(400);
    expect((await call(admin, 'POST', `/admin/users/${u.userId}/ban`, {})).statusCode).toBe(400);
  });

  it('promotes and demotes, audited with before and after', async () => {
    const u = await register(t.app);
    const res = await call(admin, 'PATCH', `/admin/users/${u.userId}/role`, { role: 'admin' });
    expect(res.json().role).toBe('admin');
    expect((await call(u, 'GET', '/admin/users')).statusCode).toBe(200);
    expect(await lastAudit(u.userId)).toMatchObject({
      action: 'user.role_changed',
      details: { before: { role: 'user' }, after: { role: 'admin' } },
    });
    expect((await call(admin, 'PATCH', `/admin/users/${u.userId}/role`, { role: 'user' })).json().role).toBe('user');
    // The role is read live: the demoted user's existing token no longer opens admin routes.
    expect((await call(u, 'GET', '/admin/users')).statusCode).toBe(403);
    expect((await call(admin, 'PATCH', `/admin/users/${u.userId}/role`, { role: 'god' })).statusCode).toBe(400);
  });

  it('never lets an admin act on themself', async () => {
    for (const [method, path, body] of [
      ['PATCH', 'role', { role: 'user' }],
      ['POST', 'suspend', { reason: 'testing' }],
      ['POST', 'ban', { reason: 'testing' }],
    ] as const) {
      const res = await call(admin, method, `/admin/users/${admin.userId}/${path}`, body);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('SELF_ACTION');
    }
  });
});

describe('the last active administrator', () => {
  it('cannot be demoted, suspended or banned, even by two admins racing', async () => {
    const db = await createTestDatabase();
    const iso = await buildTestApp({ database: db.database });
    try {
      const a = await createAdmin(iso);
      const b = await createAdmin(iso);
      const req = (actor: Client, target: Client) =>
        iso.app.inject({
          method: 'PATCH',
          url: `/api/v1/admin/users/${target.userId}/role`,
          headers: auth(actor),
          payload: { role: 'user' },
        });
      // Each demotes the other at the same moment: one must win, one must be refused.
      const results = await Promise.all([req(a, b), req(b, a)]);
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes[0]).toBe(200);
      expect([403, 409]).toContain(codes[1]);
      const page = await iso.services.users.list({
        page: 1,
        pageSize: 10,
        role: 'admin',
        state: 'active',
        sort: 'createdAt',
        order: 'asc',
      });
      expect(page.total).toBe(1);
      const survivor = results[0]!.statusCode === 200 ? a : b;
      const demoted = survivor === a ? b : a;
      // The remaining admin is alone: the service refuses to remove them whoever asks.
      const actor = { userId: demoted.userId, sessionId: 'x', email: demoted.email, role: 'admin' as const };
      await expect(
        iso.services.users.changeState(actor, survivor.userId, 'suspend', 'x', {
          ip: null,
          userAgent: null,
          requestId: null,
        }),
      ).rejects.toMatchObject({ code: 'LAST_ADMIN' });
      await expect(
        iso.services.users.changeRole(actor, survivor.userId, 'user', { ip: null, userAgent: null, requestId: null }),
      ).rejects.toMatchObject({ code: 'LAST_ADMIN' });
    } finally {
      await iso.close();
      await db.drop();
    }
  });
});
