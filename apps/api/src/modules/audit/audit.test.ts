import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { appendAudit } from './audit.repo.js';

let tdb: TestDatabase;
let t: TestApp;
let admin: Client;
const clock = manualClock(new Date('2025-01-01T00:00:00.000Z'));

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await buildTestApp({ database: tdb.database, clock });
  admin = await createAdmin(t);
});
afterAll(async () => {
  await t.close();
  await tdb.drop();
});

const db = () => t.database.db;

/** The database's own refusal, found through Drizzle's "Failed query" wrapper. */
async function expectAppendOnly(p: Promise<unknown>) {
  const e = await p.then(
    () => null,
    (err: unknown) => err as Error & { cause?: Error },
  );
  expect(e, 'statement should have been refused').not.toBeNull();
  expect(`${e!.message} ${e!.cause?.message ?? ''}`).toMatch(/audit_log is append-only/);
}

const rejects = (statement: ReturnType<typeof sql>) => expectAppendOnly(db().execute(statement));

describe('the audit log is append-only in the database itself', () => {
  it('rejects UPDATE, DELETE and TRUNCATE, whoever runs them', async () => {
    await register(t.app);
    await rejects(sql`update audit_log set action = 'auth.login' where id = (select min(id) from audit_log)`);
    await rejects(sql`delete from audit_log where id = (select min(id) from audit_log)`);
    await rejects(sql`truncate audit_log`);
    await t.services.audit.seal();
    expect((await t.services.audit.verify()).ok).toBe(true);
    // Sealed or not, a row's content never changes, and nobody writes a row already sealed.
    await rejects(sql`update audit_log set seq = seq + 1000000 where id = (select min(id) from audit_log)`);
    await rejects(
      sql`insert into audit_log (occurred_at, action, details, seq, prev_hash, hash)
          values (now(), 'auth.login', '{}', 999999, ${'0'.repeat(64)}, ${'f'.repeat(64)})`,
    );
  });

  it('lets the sealer fill the chain columns once, and nothing else, even with its flag set', async () => {
    await register(t.app);
    const sealAs = (statement: ReturnType<typeof sql>) =>
      expectAppendOnly(
        db().transaction(async (tx) => {
          await tx.execute(sql`select set_config('uni_manager.audit_seal', 'on', true)`);
          await tx.execute(statement);
        }),
      );
    // Changing what the hash covers while sealing:
    await sealAs(
      sql`update audit_log set seq = 99999999, prev_hash = 'x', hash = 'y', action = 'auth.logout'
          where id = (select max(id) from audit_log)`,
    );
    await t.services.audit.seal();
    // Re-sealing a sealed row elsewhere in the chain:
    await sealAs(sql`update audit_log set seq = 99999999 where id = (select max(id) from audit_log)`);
    expect((await t.services.audit.verify()).ok).toBe(true);
  });
});

/** Edits a row behind the triggers' back, as someone with raw database access would. */
async function tamper(statement: ReturnType<typeof sql>, on = db()) {
  await on.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger user`);
    await tx.execute(statement);
    await tx.execute(sql`alter table audit_log enable trigger user`);
  });
}

describe('audit verify', () => {
  it('passes on an honest chain and catches an edited row, naming it', async () => {
    const fresh = await createTestDatabase();
    const app = await buildTestApp({ database: fresh.database });
    try {
      for (let i = 0; i < 5; i++) await register(app.app);
      expect(await app.services.audit.verify()).toMatchObject({ ok: true, checked: 0, unsealed: 5 });
      expect(await app.services.audit.seal()).toBe(5);
      const ok = await app.services.audit.verify();
      expect(ok).toMatchObject({ ok: true, checked: 5, unsealed: 0, oldestUnsealedAt: null });
      const [row] = (await fresh.database.db.execute(sql`select id from audit_log order by id limit 1 offset 2`))
        .rows as { id: string }[];
      await fresh.database.db.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_log disable trigger user`);
        await tx.execute(sql`update audit_log set details = '{"displayName":"Mallory"}' where id = ${row!.id}`);
        await tx.execute(sql`alter table audit_log enable trigger user`);
      });
      const bad = await app.services.audit.verify();
      expect(bad).toMatchObject({ ok: false, firstBadId: String(row!.id), checked: 2 });
      expect(bad.reason).toMatch(/edited/);
    } finally {
      await app.close();
      await fresh.drop();
    }
  });

  it('catches a row removed from the middle', async () => {
    await register(t.app);
    await register(t.app);
    await t.services.audit.seal();
    await tamper(sql`delete from audit_log where seq = (select max(seq) - 1 from audit_log)`);
    const r = await t.services.audit.verify();
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/removed|re-linked/);
  });

  it('catches a sealed row inserted behind the triggers, in the middle or at the head', async () => {
    const fresh = await createTestDatabase();
    const app = await buildTestApp({ database: fresh.database });
    const fdb = fresh.database.db;
    try {
      for (let i = 0; i < 4; i++) await register(app.app);
      await app.services.audit.seal();
      const head = (await fdb.execute(sql`select seq::text, hash from audit_log order by seq desc limit 1`))
        .rows[0] as { seq: string; hash: string };
      // At the head, linking correctly but with a hash that is not of its content:
      await tamper(
        sql`insert into audit_log (occurred_at, action, details, seq, prev_hash, hash)
            values (now(), 'auth.login', '{}', ${BigInt(head.seq) + 1n}, ${head.hash}, ${'a'.repeat(64)})`,
        fdb,
      );
      expect((await app.services.audit.verify()).reason).toMatch(/edited/);
      await tamper(sql`delete from audit_log where seq = ${BigInt(head.seq) + 1n}`, fdb);
      expect((await app.services.audit.verify()).ok).toBe(true);
      // Past a gap: a position skipped is a row removed.
      await tamper(
        sql`insert into audit_log (occurred_at, action, details, seq, prev_hash, hash)
            values (now(), 'auth.login', '{}', ${BigInt(head.seq) + 5n}, ${head.hash}, ${'b'.repeat(64)})`,
        fdb,
      );
      expect((await app.services.audit.verify()).reason).toMatch(/missing or repeated/);
    } finally {
      await app.close();
      await fresh.drop();
    }
  });
});

describe('retention', () => {
  it('purges only what is older than the period, through the sanctioned path, and the chain still verifies', async () => {
    const fresh = await createTestDatabase();
    const c = manualClock(new Date('2024-01-01T00:00:00.000Z'));
    const app = await buildTestApp({ database: fresh.database, clock: c, env: { AUDIT_RETENTION_DAYS: '30' } });
    try {
      await register(app.app);
      await register(app.app);
      c.advance(40 * 86_400_000);
      const recent = await register(app.app);
      // Purging seals what is pending first: the two oldest rows were never sealed before it.
      const r = await app.services.audit.purgeExpired();
      expect(r.deleted).toBe(2);
      const left = await app.services.audit.search({ page: 1, pageSize: 10 });
      expect(left.items.map((e) => e.action)).toEqual(['audit.purged', 'auth.register']);
      expect(left.items[1]!.targetId).toBe(recent.userId);
      expect(left.items[0]!.details).toMatchObject({ deleted: 2 });
      // The purge record is sealed by the purge itself; the recent row was sealed with the rest.
      expect(await app.services.audit.verify()).toMatchObject({ ok: true, checked: 2, unsealed: 0 });
      // Nothing to do the second time; the chain is unchanged.
      expect((await app.services.audit.purgeExpired()).deleted).toBe(0);
      // Deleting the oldest rows any other way is refused, and if forced, detected.
      await expectAppendOnly(fresh.database.db.execute(sql`delete from audit_log`));
      await fresh.database.db.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_log disable trigger user`);
        await tx.execute(sql`delete from audit_log where action = 'auth.register'`);
        await tx.execute(sql`alter table audit_log enable trigger user`);
      });
      expect((await app.services.audit.verify()).ok).toBe(false);
    } finally {
      await app.close();
      await fresh.drop();
    }
  });

  it('keeps links intact when concurrent writers append', async () => {
    const fresh = await createTestDatabase();
    try {
      const now = new Date();
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          fresh.database.db.transaction((tx) => appendAudit(tx, { action: 'auth.login', details: { i } }, now)),
        ),
      );
      const app = await buildTestApp({ database: fresh.database });
      await app.services.audit.seal();
      expect(await app.services.audit.verify()).toMatchObject({ ok: true, checked: 20 });
      await app.close();
    } finally {
      await fresh.drop();
    }
  });
});

describe('admin audit search', () => {
  it('filters by action, actor, target, text and dates; users are refused', async () => {
    const u = await register(t.app);
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${u.userId}/suspend`,
      headers: auth(admin),
      payload: { reason: 'Spam' },
    });
    const get = (q: string) => t.app.inject({ url: `/api/v1/admin/audit?${q}`, headers: auth(admin) });
    const byAction = (await get(`action=user.suspended&targetId=${u.userId}`)).json();
    expect(byAction.total).toBe(1);
    expect(byAction.items[0]).toMatchObject({
      actorId: admin.userId,
      actorEmail: admin.email,
      targetType: 'user',
      details: { reason: 'Spam' },
    });
    expect(byAction.items[0].requestId).toBeTruthy();
    expect((await get(`actorId=${admin.userId}&action=user.suspended`)).json().total).toBeGreaterThanOrEqual(1);
    expect((await get(`q=${encodeURIComponent(u.userId)}`)).json().total).toBeGreaterThanOrEqual(2);
    // Searching for the user's address finds their own events and what was done to them.
    const byEmail = (await get(`q=${encodeURIComponent(u.email)}`)).json();
    expect(byEmail.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['auth.register', 'user.suspended']),
    );
    const iso = clock.now().toISOString();
    expect((await get(`from=${encodeURIComponent(iso)}&targetId=${u.userId}`)).json().total).toBe(2);
    expect((await get(`to=2000-01-01T00:00:00Z`)).json().total).toBe(0);
    expect((await get('action=not.an.action')).statusCode).toBe(400);
    expect((await get('from=yesterday')).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/admin/audit', headers: auth(u) })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/admin/audit' })).statusCode).toBe(401);
  });
});
