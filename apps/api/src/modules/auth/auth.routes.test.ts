import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  STRONG_PASSWORD,
  auth,
  buildTestApp,
  createTestDatabase,
  login,
  manualClock,
  nextIp,
  register,
  type TestApp,
  type TestDatabase,
} from '../../test/harness.js';

let tdb: TestDatabase;
let t: TestApp;
const clock = manualClock();

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await buildTestApp({ database: tdb.database, clock });
});
afterAll(async () => {
  await t.close();
  await tdb.drop();
});

const post = (url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    payload: payload as object,
    headers: { 'x-forwarded-for': nextIp(), ...headers },
  });

async function auditActions(targetOrActor: string) {
  const page = await t.services.audit.search({
    page: 1,
    pageSize: 100,
    q: undefined,
    actorId: undefined,
    targetId: undefined,
    action: undefined,
    targetType: undefined,
    from: undefined,
    to: undefined,
  });
  return page.items.filter((e) => e.actorId === targetOrActor || e.targetId === targetOrActor).map((e) => e.action);
}

describe('register', () => {
  it('creates an account, signs it in and records the event', async () => {
    const res = await post('/auth/register', {
      email: '  Ada.Lovelace@Example.ORG ',
      displayName: 'Ada',
      password: STRONG_PASSWORD,
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.user).toMatchObject({
      email: 'ada.lovelace@example.org',
      displayName: 'Ada',
      role: 'user',
      state: 'active',
    });
    expect(body.accessToken.split('.')).toHaveLength(3);
    const cookie = res.cookies.find((c) => c.name === 'um_refresh')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth' });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(await auditActions(body.user.id)).toContain('auth.register');
  });

  it('treats emails case-insensitively for uniqueness', async () => {
    await post('/auth/register', { email: 'grace@example.org', displayName: 'Grace', password: STRONG_PASSWORD });
    const res = await post('/auth/register', {
      email: 'GRACE@example.org',
      displayName: 'Grace 2',
      password: STRONG_PASSWORD,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'EMAIL_TAKEN', details: { fields: [{ path: 'email' }] } });
  });

  it.each([
    ['short', 'Short-pw-1', 'password'],
    ['common', 'Password1234', 'password'],
    ['padded common word', 'monkey123456!', 'password'],
    ['repeated pattern', 'abcabcabcabc', 'password'],
    ['sequence', 'abcdefghijklmnop', 'password'],
  ])('refuses a %s password with a field error', async (_why, password, field) => {
    const res = await post('/auth/register', { email: `p${Math.random()}@example.org`, displayName: 'X', password });
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(['VALIDATION_FAILED', 'WEAK_PASSWORD']).toContain(err.code);
    expect(err.details.fields[0].path).toBe(field);
  });

  it('refuses a password that contains the email name', async () => {
    const res = await post('/auth/register', {
      email: 'margaret.hamilton@example.org',
      displayName: 'M',
      password: 'margaret.hamilton-2024',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('WEAK_PASSWORD');
  });

  it('answers bad input with 400 and the offending fields, never 500', async () => {
    const cases: [unknown, string[]][] = [
      [{ email: 'not-an-email', displayName: 'A', password: STRONG_PASSWORD }, ['email']],
      [{ email: 42, displayName: ['x'], password: null }, ['email', 'displayName', 'password']],
      [{ email: 'a@b.org', displayName: '', password: STRONG_PASSWORD }, ['displayName']],
      [{ email: 'a@b.org', displayName: 'x'.repeat(81), password: STRONG_PASSWORD }, ['displayName']],
      [{ email: 'a@b.org', displayName: 'A', password: 'x'.repeat(257) }, ['password']],
      [{}, ['email', 'displayName', 'password']],
      [[1, 2, 3], ['body']],
    ];
    for (const [payload, fields] of cases) {
      const res = await post('/auth/register', payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      const paths = res.json().error.details.fields.map((f: { path: string }) => f.path);
      for (const f of fields) expect(paths).toContain(f);
    }
  });

  it('answers malformed JSON, a wrong content type and an oversized body clearly', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "x@y.org",',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('MALFORMED_REQUEST');
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const huge = await post('/auth/register', {
      email: 'h@example.org',
      displayName: 'H',
      password: 'x'.repeat(t.config.BODY_LIMIT_BYTES),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('is refused when registration is closed', async () => {
    const closed = await buildTestApp({ database: tdb.database, env: { ALLOW_REGISTRATION: 'false' } });
    try {
      const res = await closed.app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email: 'closed@example.org', displayName: 'C', password: STRONG_PASSWORD },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    } finally {
      await closed.close();
    }
  });
});

describe('login', () => {
  it('signs in with any letter case of the email and records last login', async () => {
    const u = await register(t.app, { email: 'case@example.org' });
    clock.advance(60_000);
    const c = await login(t.app, 'CASE@Example.org');
    const me = await t.app.inject({ url: '/api/v1/me', headers: auth(c) });
    expect(me.json().user.lastLoginAt).toBe(clock.now().toISOString());
    expect(c.userId).toBe(u.userId);
  });

  it('fails the same way for an unknown email and a wrong password, and audits both', async () => {
    const u = await register(t.app);
    const wrong = await post('/auth/login', { email: u.email, password: 'not-the-password-at-all' });
    const unknown = await post('/auth/login', { email: 'nobody@example.org', password: 'not-the-password-at-all' });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toMatchObject({
        code: 'INVALID_CREDENTIALS',
        message: 'Email or password is incorrect',
      });
    }
    expect(await auditActions(u.userId)).toContain('auth.login_failed');
  });
});

describe('access tokens', () => {
  it('401 without a token, with garbage, with a malformed header, and after expiry', async () => {
    const u = await register(t.app);
    expect((await t.app.inject({ url: '/api/v1/me' })).json().error.code).toBe('UNAUTHENTICATED');
    expect(
      (await t.app.inject({ url: '/api/v1/me', headers: { authorization: 'Bearer abc.def.ghi' } })).statusCode,
    ).toBe(401);
    expect(
      (await t.app.inject({ url: '/api/v1/me', headers: { authorization: 'Basic Zm9vOmJhcg==' } })).statusCode,
    ).toBe(401);
    clock.advance(t.config.ACCESS_TOKEN_TTL * 1000 + 1000);
    const expired = await t.app.inject({ url: '/api/v1/me', headers: auth(u) });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('TOKEN_EXPIRED');
  });

  it('is rejected once signed with another secret', async () => {
    const other = await buildTestApp({
      database: tdb.database,
      clock,
      env: { JWT_SECRET: 'another-secret-entirely-0123456789-abcdefgh' },
    });
    try {
      const u = await register(other.app);
      const res = await t.app.inject({ url: '/api/v1/me', headers: auth(u) });
      expect(res.statusCode).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('refresh', () => {
  const refresh = (cookie?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      headers: { 'x-forwarded-for': nextIp() },
      ...(cookie ? { cookies: { um_refresh: cookie } } : {}),
    });

  it('rotates the refresh token on every use', async () => {
    const u = await register(t.app);
    const r1 = await refresh(u.cookie);
    expect(r1.statusCode).toBe(200);
    const next = r1.cookies.find((c) => c.name === 'um_refresh')!.value;
    expect(next).not.toBe(u.cookie);
    const r2 = await refresh(next);
    expect(r2.statusCode).toBe(200);
    expect(
      (await t.app.inject({ url: '/api/v1/me', headers: auth({ token: r2.json().accessToken }) })).statusCode,
    ).toBe(200);
  });

  it('treats reuse of a rotated token as theft and revokes the whole family', async () => {
    const u = await register(t.app);
    const r1 = await refresh(u.cookie);
    const current = r1.cookies.find((c) => c.name === 'um_refresh')!.value;
    const stolen = await refresh(u.cookie);
    expect(stolen.statusCode).toBe(401);
    expect(stolen.json().error.code).toBe('REFRESH_TOKEN_REUSED');
    expect(stolen.cookies.find((c) => c.name === 'um_refresh')?.value).toBe('');
    // The legitimate holder's newer token and access token die with the family.
    expect((await refresh(current)).json().error.code).toBe('SESSION_REVOKED');
    const me = await t.app.inject({ url: '/api/v1/me', headers: auth({ token: r1.json().accessToken }) });
    expect(me.json().error.code).toBe('SESSION_REVOKED');
    expect(await auditActions(u.userId)).toContain('auth.refresh_reuse');
  });

  it('lets exactly one of two concurrent refreshes with the same token win', async () => {
    const u = await register(t.app);
    const results = await Promise.all([refresh(u.cookie), refresh(u.cookie)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
  });

  it('refuses a missing, unknown or expired token', async () => {
    expect((await refresh()).json().error.code).toBe('REFRESH_TOKEN_INVALID');
    expect((await refresh('made-up-token')).json().error.code).toBe('REFRESH_TOKEN_INVALID');
    const u = await register(t.app);
    clock.advance(t.config.REFRESH_TOKEN_TTL * 1000 + 1);
    expect((await refresh(u.cookie)).json().error.code).toBe('REFRESH_TOKEN_INVALID');
  });
});

describe('logout', () => {
  it('ends the session: its refresh cookie and access token stop working', async () => {
    const u = await register(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: auth(u),
      cookies: { um_refresh: u.cookie },
    });
    expect(res.statusCode).toBe(204);
    expect(res.cookies.find((c) => c.name === 'um_refresh')?.value).toBe('');
    expect((await t.app.inject({ url: '/api/v1/me', headers: auth(u) })).json().error.code).toBe('SESSION_REVOKED');
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      cookies: { um_refresh: u.cookie },
    });
    expect(again.statusCode).toBe(401);
    expect(await auditActions(u.userId)).toContain('auth.logout');
  });

  it('is idempotent and works with nothing at all', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(204);
  });
});

describe('profile and password', () => {
  it('updates the display name and audits before/after', async () => {
    const u = await register(t.app, { displayName: 'Old' });
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: auth(u),
      payload: { displayName: '  New Name ' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.displayName).toBe('New Name');
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: auth(u),
      payload: { displayName: 7 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].path).toBe('displayName');
  });

  it('changes the password, signs out every other session, keeps this one', async () => {
    const u = await register(t.app);
    const other = await login(t.app, u.email);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: auth(u),
      payload: { currentPassword: 'wrong-password-here', newPassword: 'another-Strong-pass-42' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error).toMatchObject({
      code: 'WRONG_PASSWORD',
      details: { fields: [{ path: 'currentPassword' }] },
    });
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: auth(u),
      payload: { currentPassword: STRONG_PASSWORD, newPassword: 'password1234' },
    });
    expect(weak.json().error.code).toBe('WEAK_PASSWORD');
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: auth(u),
      payload: { currentPassword: STRONG_PASSWORD, newPassword: 'another-Strong-pass-42' },
    });
    expect(ok.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/me', headers: auth(u) })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/me', headers: auth(other) })).json().error.code).toBe('SESSION_REVOKED');
    expect((await post('/auth/login', { email: u.email, password: STRONG_PASSWORD })).statusCode).toBe(401);
    await login(t.app, u.email, 'another-Strong-pass-42');
  });
});

describe('sessions', () => {
  it('lists own live sessions with the current one marked, and revokes one', async () => {
    const u = await register(t.app);
    const second = await login(t.app, u.email);
    const list = await t.app.inject({ url: '/api/v1/me/sessions', headers: auth(u) });
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { id: string; current: boolean; ip: string }[];
    expect(items).toHaveLength(2);
    expect(items.filter((s) => s.current)).toHaveLength(1);
    expect(items.map((s) => s.ip)).toContain(second.ip);
    const victim = items.find((s) => !s.current)!;
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/me/sessions/${victim.id}`, headers: auth(u) });
    expect(del.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/me', headers: auth(second) })).json().error.code).toBe(
      'SESSION_REVOKED',
    );
  });

  it("answers 404 for another user's session and 400 for a malformed id", async () => {
    const a = await register(t.app);
    const b = await register(t.app);
    const bSessions = (await t.app.inject({ url: '/api/v1/me/sessions', headers: auth(b) })).json().items;
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/me/sessions/${bSessions[0].id}`,
      headers: auth(a),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    expect((await t.app.inject({ url: '/api/v1/me', headers: auth(b) })).statusCode).toBe(200);
    const bad = await t.app.inject({ method: 'DELETE', url: '/api/v1/me/sessions/not-a-uuid', headers: auth(a) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].path).toBe('params.id');
  });
});

describe('own security events', () => {
  it("shows a user their own events and nobody else's", async () => {
    const a = await register(t.app);
    const b = await register(t.app);
    await post('/auth/login', { email: a.email, password: 'definitely-wrong-pw' });
    const res = await t.app.inject({ url: '/api/v1/me/events?pageSize=50', headers: auth(a) });
    expect(res.statusCode).toBe(200);
    const page = res.json();
    const actions = page.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.register', 'auth.login_failed']));
    for (const e of page.items) expect([e.actorId, e.targetId]).toContain(a.userId);
    expect(page.items.some((e: { actorId: string }) => e.actorId === b.userId)).toBe(false);
    expect((await t.app.inject({ url: '/api/v1/me/events?page=0', headers: auth(a) })).statusCode).toBe(400);
  });
});
