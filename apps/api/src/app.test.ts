import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from './db/client.js';
import {
  STRONG_PASSWORD,
  auth,
  buildTestApp,
  createAdmin,
  createTestDatabase,
  nextIp,
  register,
  type TestApp,
  type TestDatabase,
} from './test/harness.js';

let tdb: TestDatabase;
let t: TestApp;
const logLines: string[] = [];

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await buildTestApp({ database: tdb.database, logDestination: { write: (s) => void logLines.push(s) } });
});
afterAll(async () => {
  await t.close();
  await tdb.drop();
});

describe('health', () => {
  it('liveness answers without touching dependencies', async () => {
    const res = await t.app.inject({ url: '/api/v1/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', version: expect.any(String) });
  });

  it('readiness checks the database, and answers 503 naming it when it is down', async () => {
    const ok = await t.app.inject({ url: '/api/v1/health/ready' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().checks.database.status).toBe('up');
    const db = await openPglite();
    const broken = await buildTestApp({ database: db });
    await db.close();
    const res = await broken.app.inject({ url: '/api/v1/health/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'not_ready', down: ['database'] });
    await broken.close();
  });

  it('answers 503 naming Redis when Redis is configured but unreachable', async () => {
    // A client to a port nothing listens on, that fails fast instead of queueing.
    const dead = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const app = await buildTestApp({ database: tdb.database, redis: { redis: dead, prefix: 'x:' } });
    try {
      const res = await app.app.inject({ url: '/api/v1/health/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({
        status: 'not_ready',
        down: ['redis'],
        checks: { database: { status: 'up' } },
      });
      // Sign-in fails closed and says why, rather than running without limits.
      const login = await app.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'a@b.org', password: 'whatever-123456' },
      });
      expect(login.statusCode).toBe(503);
      expect(login.json().error.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await app.close();
      dead.disconnect();
    }
  });
});

describe('security headers, CORS, limits', () => {
  it('sends strict headers on API responses', async () => {
    const res = await t.app.inject({ url: '/api/v1/health' });
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('sends HSTS in production', async () => {
    const prod = await buildTestApp({
      database: tdb.database,
      env: { NODE_ENV: 'production', DATABASE_URL: 'postgres://u:Real-pass-9@h/db', ENCRYPTION_KEY: 'cd'.repeat(32) },
    });
    const res = await prod.app.inject({ url: '/api/v1/health' });
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    await prod.close();
  });

  it('echoes a sane caller request id and ignores a hostile one', async () => {
    expect(
      (await t.app.inject({ url: '/api/v1/health', headers: { 'x-request-id': 'edge-42.a' } })).headers['x-request-id'],
    ).toBe('edge-42.a');
    expect(
      (await t.app.inject({ url: '/api/v1/health', headers: { 'x-request-id': 'a b\n<script>' } })).headers[
        'x-request-id'
      ],
    ).not.toContain('<');
  });

  it('allows CORS only from the configured origins', async () => {
    const pre = (origin: string) =>
      t.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/auth/login',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    expect((await pre('http://localhost:3000')).headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect((await pre('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers unknown routes with a JSON 404, signed in or not', async () => {
    const res = await t.app.inject({ url: '/api/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'NOT_FOUND' }, requestId: expect.any(String) });
  });
});

interface Op {
  method: string;
  path: string;
  operationId: string;
  security?: unknown[];
}

describe('every route', () => {
  let ops: Op[] = [];
  beforeAll(async () => {
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
    ops = Object.entries(
      doc.paths as Record<string, Record<string, { operationId: string; security?: unknown[] }>>,
    ).flatMap(([p, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path: p, ...op })),
    );
  });

  it('is in the OpenAPI document with a unique operationId', () => {
    expect(ops.length).toBeGreaterThanOrEqual(17);
    const ids = ops.map((o) => o.operationId);
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  const concrete = (p: string) => p.replace('{id}', '00000000-0000-4000-8000-000000000000');

  it('refuses a caller without a token unless it is public', async () => {
    const publicOps = new Set([
      'liveness',
      'readiness',
      'register',
      'login',
      'refreshSession',
      'logout',
      // Stripe signs its deliveries instead.
      'receiveStripeEvent',
    ]);
    for (const op of ops) {
      const res = await t.app.inject({
        method: op.method as 'GET',
        url: concrete(op.path),
        headers: { 'x-forwarded-for': nextIp() },
      });
      // A public route may still refuse (refresh without a cookie), but never for want of a token.
      if (publicOps.has(op.operationId))
        expect(res.body ? res.json().error?.code : null, op.operationId).not.toBe('UNAUTHENTICATED');
      else {
        expect(res.statusCode, op.operationId).toBe(401);
        expect(op.security, op.operationId).toEqual([{ bearerAuth: [] }]);
      }
    }
  });

  it('refuses a plain user on every admin route with 403', async () => {
    const u = await register(t.app);
    const adminOps = ops.filter((o) => o.path.startsWith('/api/v1/admin/'));
    expect(adminOps.length).toBeGreaterThanOrEqual(8);
    for (const op of adminOps) {
      const res = await t.app.inject({
        method: op.method as 'GET',
        url: concrete(op.path),
        headers: auth(u),
        payload: op.method === 'GET' ? undefined : {},
      });
      expect(res.statusCode, op.operationId).toBe(403);
    }
  });
});

describe('hostile input on every route', () => {
  it('answers 4xx with our error shape, never 5xx: bad ids, wrong types, huge values, malformed JSON', async () => {
    const admin = await createAdmin(t);
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const routes = Object.entries(doc.paths).flatMap(([p, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path: p, id: op.operationId })),
    );
    // Sessions end and the webhook wants Stripe's signature: both have tests of their own.
    const skip = new Set(['logout', 'refreshSession', 'receiveStripeEvent', 'revokeMySession']);
    const ids = ['not-a-uuid', '00000000-0000-4000-8000-000000000000', '%E0%A4%A', 'x'.repeat(150), 'y'.repeat(300)];
    const bodies: (string | undefined)[] = [
      '{"unterminated": ',
      JSON.stringify({ amount: 1e308, kind: ['grant'], reason: { a: 1 }, ids: 'all', at: 'tomorrow' }),
      JSON.stringify([1, 2, 3]),
      JSON.stringify({ name: 'x'.repeat(100_000) }),
      'null',
    ];
    const queries = ['', '?page=-1&pageSize=99999', '?from=yesterday&to=1e999&kind=bogus&days=abc&range=forever'];
    let calls = 0;
    for (const r of routes) {
      if (skip.has(r.id)) continue;
      for (const id of r.path.includes('{id}') ? ids : ['']) {
        const url = r.path.replace('{id}', id);
        for (const q of r.method === 'GET' ? queries : ['']) {
          for (const body of r.method === 'GET' || r.method === 'DELETE' ? [undefined] : bodies) {
            const res = await t.app.inject({
              method: r.method as 'POST',
              url: url + q,
              headers: { ...auth(admin), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
              ...(body !== undefined ? { payload: body } : {}),
            });
            calls++;
            const where = `${r.method} ${url}${q} ${body?.slice(0, 40) ?? ''}`;
            expect(res.statusCode, `${where}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
            if (res.statusCode >= 400) {
              expect(res.json(), where).toMatchObject({
                error: { code: expect.any(String) },
                requestId: expect.any(String),
              });
              expect(res.headers['x-request-id'], where).toBeTruthy();
              expect(res.headers['content-security-policy'], where).toContain("default-src 'none'");
              expect(res.body, where).not.toContain('y'.repeat(200));
            }
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(200);
  }, 120_000);
});

describe('logs', () => {
  it('never contain passwords, tokens or cookies', async () => {
    const admin = await createAdmin(t);
    const u = await register(t.app, { password: STRONG_PASSWORD });
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', cookies: { um_refresh: u.cookie } });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: auth(u),
      payload: { currentPassword: STRONG_PASSWORD, newPassword: 'Completely-new-pass-99' },
    });
    await t.app.inject({ url: '/api/v1/admin/users', headers: auth(admin) });
    const all = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(5);
    for (const secret of [
      STRONG_PASSWORD,
      'Completely-new-pass-99',
      u.token,
      u.cookie,
      admin.token,
      t.config.jwtSecret,
    ])
      expect(all).not.toContain(secret);
    // Requests are still traceable: id and user on the lines.
    expect(all).toContain(u.userId);
    expect(all).toMatch(/"reqId"/);
  });
});
