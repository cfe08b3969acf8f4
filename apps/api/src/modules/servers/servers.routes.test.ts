import { startSimulator, type RunningSimulator } from '@uni-manager/pve-sim';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../lib/crypto/secret-box.js';
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

let sim: RunningSimulator;
let tdb: TestDatabase;
let t: TestApp;
let admin: Client;
const logLines: string[] = [];
const key = generateKey();

beforeAll(async () => {
  sim = await startSimulator({ port: 0, nodes: 2, timeScale: 0.02, authFailureDelayMs: 0 });
  tdb = await createTestDatabase();
  t = await buildTestApp({
    database: tdb.database,
    env: { ENCRYPTION_KEY: key, PROXMOX_TIMEOUT: '3' },
    logDestination: { write: (s) => void logLines.push(s) },
  });
  admin = await createAdmin(t);
});
afterAll(async () => {
  await t?.close();
  await tdb?.drop();
  await sim?.close();
});

const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, who: Client = admin) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers: auth(who), ...(payload ? { payload } : {}) });

const good = () => ({
  url: sim.url,
  tokenId: sim.tokens.admin.id,
  tokenSecret: sim.tokens.admin.secret,
  tls: { fingerprint: sim.fingerprint },
});

describe('adding a server', () => {
  it('shows the certificate first, for the admin to confirm', async () => {
    const res = await api('POST', '/admin/servers/probe', { url: `${sim.url}/some/path` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ url: sim.url, certificate: { fingerprint256: sim.fingerprint } });
    const dead = await api('POST', '/admin/servers/probe', { url: 'https://127.0.0.1:1' });
    expect(dead.statusCode).toBe(422);
    expect(dead.json().error.details.kind).toBe('UNAVAILABLE');
    expect((await api('POST', '/admin/servers/probe', { url: 'http://insecure.example' })).statusCode).toBe(400);
  });

  it('tests settings before saving: version, nodes, and what is wrong when it fails', async () => {
    const ok = (await api('POST', '/admin/servers/test', good())).json();
    expect(ok).toMatchObject({
      ok: true,
      error: null,
      nodes: expect.arrayContaining([expect.objectContaining({ status: 'online' })]),
    });
    expect(ok.version).toMatch(/^\d+\.\d+/);
    expect(ok.nodes).toHaveLength(2);
    const badToken = (await api('POST', '/admin/servers/test', { ...good(), tokenSecret: 'wrong-secret-123' })).json();
    expect(badToken).toMatchObject({ ok: false, error: { kind: 'AUTHENTICATION' } });
    const badPin = (
      await api('POST', '/admin/servers/test', { ...good(), tls: { fingerprint: 'AB'.repeat(32) } })
    ).json();
    expect(badPin).toMatchObject({ ok: false, error: { kind: 'TLS' } });
    const noTrust = await api('POST', '/admin/servers/test', { ...good(), tls: {} });
    expect(noTrust.statusCode).toBe(400);
    const badId = await api('POST', '/admin/servers/test', { ...good(), tokenId: 'root' });
    expect(badId.json().error.details.fields[0].path).toBe('tokenId');
  });

  it('saves a working server with its token sealed; the secret is never returned, logged or audited', async () => {
    const res = await api('POST', '/admin/servers', { name: 'Lab cluster', ...good() });
    expect(res.statusCode).toBe(201);
    const s = res.json();
    expect(s).toMatchObject({
      name: 'Lab cluster',
      url: sim.url,
      tokenId: sim.tokens.admin.id,
      tokenSecretSet: true,
      health: 'healthy',
      enabled: true,
      maintenance: false,
    });
    expect(s.nodes.map((n: { node: string }) => n.node).sort()).toEqual([...sim.nodes].sort());
    // The first health check ran with the creation: node figures are there at once.
    expect(s.nodes.every((n: { memTotal: number | null }) => (n.memTotal ?? 0) > 0)).toBe(true);
    expect(res.body).not.toContain(sim.tokens.admin.secret);

    const stored = (await tdb.database.db.execute(sql`select token_secret_sealed from servers where id = ${s.id}`))
      .rows as { token_secret_sealed: string }[];
    expect(stored[0]!.token_secret_sealed).toMatch(/^v1\./);
    expect(stored[0]!.token_secret_sealed).not.toContain(sim.tokens.admin.secret);

    const dump = JSON.stringify((await tdb.database.db.execute(sql`select * from audit_log`)).rows);
    expect(dump).toContain('server.created');
    expect(dump).not.toContain(sim.tokens.admin.secret);
    expect(logLines.join('\n')).not.toContain(sim.tokens.admin.secret);

    const list = (await api('GET', '/admin/servers')).json();
    expect(list.items.map((x: { id: string }) => x.id)).toContain(s.id);
    const tested = await api('POST', `/admin/servers/${s.id}/test`);
    expect(tested.json().ok, tested.body).toBe(true);
  });

  it('refuses settings that do not work, and a taken name, saving nothing', async () => {
    const before = (await api('GET', '/admin/servers')).json().items.length;
    const bad = await api('POST', '/admin/servers', { name: 'Broken', ...good(), tokenSecret: 'nope-nope-nope' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toMatchObject({
      code: 'PROXMOX_CONNECTION_FAILED',
      details: { test: { error: { kind: 'AUTHENTICATION' } } },
    });
    const dup = await api('POST', '/admin/servers', { name: 'Lab cluster', ...good() });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('NAME_TAKEN');
    expect((await api('GET', '/admin/servers')).json().items.length).toBe(before);
  });
});

describe('changing a server', () => {
  it('renames, disables and puts it in maintenance, audited with before and after', async () => {
    const s = (await api('POST', '/admin/servers', { name: 'Second', ...good() })).json();
    const res = await api('PATCH', `/admin/servers/${s.id}`, {
      name: 'Second (B204)',
      maintenance: true,
      enabled: false,
    });
    expect(res.json()).toMatchObject({ name: 'Second (B204)', maintenance: true, enabled: false });
    const audit = await t.services.audit.search({ page: 1, pageSize: 1, targetId: s.id, action: 'server.updated' });
    expect(audit.items[0]!.details).toMatchObject({
      before: { name: 'Second', maintenance: false },
      after: { name: 'Second (B204)', maintenance: true },
      tokenSecretChanged: false,
    });
    expect((await api('PATCH', `/admin/servers/${s.id}`, {})).statusCode).toBe(400);
    expect((await api('PATCH', `/admin/servers/${s.id}`, { name: 'Lab cluster' })).json().error.code).toBe(
      'NAME_TAKEN',
    );
  });

  it('tests unsaved changes against the stored secret', async () => {
    const s = (await api('POST', '/admin/servers', { name: 'Edit-test', ...good() })).json();
    const badPin = (await api('POST', `/admin/servers/${s.id}/test`, { tls: { fingerprint: 'CD'.repeat(32) } })).json();
    expect(badPin).toMatchObject({ ok: false, error: { kind: 'TLS' } });
    const sameWithCa = (await api('POST', `/admin/servers/${s.id}/test`, { tls: { caPem: sim.caPem } })).json();
    expect(sameWithCa.ok).toBe(true);
    const otherToken = await api('POST', `/admin/servers/${s.id}/test`, { tokenId: sim.tokens.readonly.id });
    // The stored secret is the admin token's, so the read-only token id with it fails to authenticate.
    expect(otherToken.json()).toMatchObject({ ok: false, error: { kind: 'AUTHENTICATION' } });
    expect((await api('POST', `/admin/servers/${s.id}/test`, { tls: {} })).statusCode).toBe(400);
    // Nothing was saved by testing.
    expect((await api('GET', `/admin/servers/${s.id}`)).json().tls.fingerprint).toBe(sim.fingerprint);
  });

  it('keeps the old settings when new ones fail the test', async () => {
    const s = (await api('POST', '/admin/servers', { name: 'Third', ...good() })).json();
    const bad = await api('PATCH', `/admin/servers/${s.id}`, { tokenSecret: 'a-wrong-secret' });
    expect(bad.statusCode).toBe(422);
    expect((await api('POST', `/admin/servers/${s.id}/test`)).json().ok).toBe(true);
  });

  it('removes it; unknown ids answer 404; users are refused', async () => {
    const s = (await api('POST', '/admin/servers', { name: 'Fourth', ...good() })).json();
    expect((await api('DELETE', `/admin/servers/${s.id}`)).statusCode).toBe(204);
    expect((await api('GET', `/admin/servers/${s.id}`)).statusCode).toBe(404);
    expect((await api('DELETE', `/admin/servers/${s.id}`)).statusCode).toBe(404);
    const u = await register(t.app);
    expect((await api('GET', '/admin/servers', undefined, u)).statusCode).toBe(403);
    expect((await api('POST', '/admin/servers/test', good(), u)).statusCode).toBe(403);
  });
});

describe('key rotation', () => {
  it('re-seals every secret with the new key; the old key can then be dropped', async () => {
    const newKey = generateKey();
    const rotating = await buildTestApp({
      database: tdb.database,
      env: { ENCRYPTION_KEY: newKey, ENCRYPTION_KEYS_PREVIOUS: key },
    });
    const r = await rotating.services.servers.rotateKeys({ ip: null, userAgent: 'test', requestId: null });
    expect(r.rotated).toBe(r.total);
    expect(r.total).toBeGreaterThan(0);
    expect((await rotating.services.servers.rotateKeys({ ip: null, userAgent: 'test', requestId: null })).rotated).toBe(
      0,
    );
    await rotating.close();
    const onlyNew = await buildTestApp({ database: tdb.database, env: { ENCRYPTION_KEY: newKey } });
    const [first] = await onlyNew.services.servers.list();
    expect((await onlyNew.services.servers.testSaved(first!.id)).ok).toBe(true);
    await onlyNew.close();
    // The old key alone can no longer open them: a clear error, not a 500.
    const res = await api('POST', `/admin/servers/${first!.id}/test`);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toMatch(/cannot be decrypted with the configured ENCRYPTION_KEY/);
  });
});
