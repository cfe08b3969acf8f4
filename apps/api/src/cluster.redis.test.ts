import { randomBytes } from 'node:crypto';
import type { RunningSimulator } from '@uni-manager/pve-sim';
import { eq, sql } from 'drizzle-orm';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Database } from './db/client.js';
import { users, vmOperations } from './db/schema/index.js';
import { env } from './test/harness.js';
import { createEmptyDatabase, startCluster, type Cluster } from './test/cluster.js';
import {
  CLUSTER_ENV,
  addSimulatorAndTemplate,
  checkCluster,
  clusterCall as call,
  newUser,
  runMixedLoad,
  signIn,
  type Account,
} from './test/cluster-load.js';
import { openStream } from './test/sse.js';
import { fastSimulator } from './test/vm-fixtures.js';

/**
 * Two API processes and two worker processes started together on an empty
 * PostgreSQL database and one Redis, behind one address; a mixed load; one
 * API and one worker killed with SIGKILL half-way. Afterwards everything the
 * platform promises must still hold.
 */
const ADMIN_EMAIL = 'root@cluster.test';
const ADMIN_PASSWORD = 'cluster-Admin-passphrase-42';

let empty: { url: string; drop(): Promise<void> } | undefined;
let database: Database;
let sim: RunningSimulator;
let cluster: Cluster;
let admin: Account;
let templateId: string;

beforeAll(async () => {
  if (!env.databaseUrl || !env.redisUrl) throw new Error('this test needs TEST_DATABASE_URL and TEST_REDIS_URL');
  empty = await createEmptyDatabase(env.databaseUrl, 'cluster');
  const url = new URL(empty.url);
  sim = await fastSimulator({ nodes: 3 });
  cluster = await startCluster({
    databaseUrl: url.toString(),
    redisUrl: env.redisUrl,
    env: {
      REDIS_KEY_PREFIX: `umcluster:${randomBytes(4).toString('hex')}:`,
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      ...CLUSTER_ENV,
    },
  });
  database = openPostgres(url.toString(), { poolMax: 4 });
  admin = await signIn(cluster.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  templateId = await addSimulatorAndTemplate(cluster.url, admin, database.db, sim);
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  await database?.close();
  await sim?.close();
  await empty?.drop();
}, 60_000);

describe('several API and worker processes on one database and one Redis', () => {
  it('all four, started together on an empty database, came up, with one administrator', async () => {
    const admins = await database.db.select({ id: users.id }).from(users).where(eq(users.role, 'admin'));
    expect(admins).toHaveLength(1);
    const announced = cluster.apis.filter((a) => a.output.join('').includes('First start')).length;
    expect(announced).toBe(1);
    for (const p of [...cluster.apis, ...cluster.workers]) expect(p.child.exitCode).toBeNull();
  });

  it('a suspension made on one instance is refused on the other at the very next request', async () => {
    const [a, b] = cluster.apis;
    for (let i = 0; i < 5; i++) {
      const u = await newUser(cluster.url, `susp${i}`);
      // Instance b has the principal cached...
      expect((await call(b!.url!, u.token, 'GET', '/me')).status).toBe(200);
      expect((await call(b!.url!, u.token, 'GET', '/me')).status).toBe(200);
      // ...and instance a suspends the account.
      const r = await call(a!.url!, admin.token, 'POST', `/admin/users/${u.userId}/suspend`, { reason: 'Abuse' });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      const next = await call(b!.url!, u.token, 'GET', '/me');
      expect(next.status).toBe(403);
      expect((next.json!.error as { code: string }).code).toBe('ACCOUNT_SUSPENDED');
    }
  });

  it('an operation finished by a worker reaches a stream on the other API instance within a second', async () => {
    const [a, b] = cluster.apis;
    const u = await newUser(cluster.url, 'live');
    const other = await newUser(cluster.url, 'other');
    const stream = await openStream(`${b!.url}/api/v1/me/stream`, u.token);
    const otherStream = await openStream(`${b!.url}/api/v1/me/stream`, other.token);
    await stream.waitFor((f) => f.event === 'hello');
    const created = await call(a!.url!, u.token, 'POST', '/vms', { templateId, name: 'live-across' });
    expect(created.status, JSON.stringify(created.json)).toBe(202);
    const vmId = (created.json!.vm as { id: string }).id;
    const opId = (created.json!.operation as { id: string }).id;
    const done = await stream.waitFor(
      (f) =>
        f.event === 'vm' &&
        f.data.vmId === vmId &&
        (f.data.operation as { status: string } | null)?.status === 'succeeded',
      60_000,
    );
    const [op] = await database.db.select().from(vmOperations).where(eq(vmOperations.id, opId));
    const lagMs = done.receivedAt - op!.finishedAt!.getTime();
    expect(lagMs).toBeLessThan(1000);
    expect(done.data).toMatchObject({ status: 'active', powerState: 'running' });
    expect(otherStream.frames.filter((f) => f.event === 'vm')).toEqual([]);
    stream.close();
    otherStream.close();
  }, 90_000);

  it('an operation finished by a worker reaches a browser connected to the other API instance within a second', async () => {
    const [a, b] = cluster.apis;
    const u = await newUser(cluster.url, 'browser');
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      // A page of instance b's origin (its JSON API forbids scripts by CSP; the web app has its own origin and policy).
      const context = await browser.newContext({ bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${b!.url}/api/v1/health`);
      // The browser reads the stream as the web does: fetch with the bearer token, frames parsed as they come.
      await page.evaluate(
        ({ token }) => {
          const w = window as unknown as { frames_: { event: string; data: string; at: number }[] };
          w.frames_ = [];
          void (async () => {
            const res = await fetch('/api/v1/me/stream', {
              headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
            });
            const reader = res.body!.getReader();
            const decoder = new TextDecoder();
            let buf = '';
            for (;;) {
              const { value, done } = await reader.read();
              if (done) return;
              buf += decoder.decode(value, { stream: true });
              let i;
              while ((i = buf.indexOf('\n\n')) >= 0) {
                const block = buf.slice(0, i);
                buf = buf.slice(i + 2);
                const event = /^event: (.*)$/m.exec(block)?.[1];
                const data = /^data: (.*)$/m.exec(block)?.[1];
                if (event && data) w.frames_.push({ event, data, at: Date.now() });
              }
            }
          })();
        },
        { token: u.token },
      );
      await page.waitForFunction(() =>
        (window as unknown as { frames_: { event: string }[] }).frames_.some((f) => f.event === 'hello'),
      );
      const created = await call(a!.url!, u.token, 'POST', '/vms', { templateId, name: 'in-the-browser' });
      expect(created.status, JSON.stringify(created.json)).toBe(202);
      const vmId = (created.json!.vm as { id: string }).id;
      const opId = (created.json!.operation as { id: string }).id;
      const handle = await page.waitForFunction(
        (id) =>
          (window as unknown as { frames_: { event: string; data: string; at: number }[] }).frames_.find((f) => {
            if (f.event !== 'vm') return false;
            const d = JSON.parse(f.data) as { vmId: string; operation: { status: string } | null };
            return d.vmId === id && d.operation?.status === 'succeeded';
          })?.at ?? false,
        vmId,
        { timeout: 60_000 },
      );
      const receivedAt = (await handle.jsonValue()) as number;
      const [op] = await database.db.select().from(vmOperations).where(eq(vmOperations.id, opId));
      expect(receivedAt - op!.finishedAt!.getTime()).toBeLessThan(1000);
    } finally {
      await browser.close();
    }
  }, 90_000);

  it('keeps every promise through a mixed load with one API and one worker killed half-way', async () => {
    const accounts = await Promise.all(Array.from({ length: 6 }, (_, i) => newUser(cluster.url, `load${i}`)));
    const stats = await runMixedLoad({
      base: cluster.url,
      admin,
      users: accounts,
      templateId,
      durationMs: 24_000,
      midway: async () => {
        await Promise.all([cluster.kill(cluster.apis[0]!), cluster.kill(cluster.workers[0]!)]);
      },
    });
    expect(stats.accepted.length).toBeGreaterThan(10);
    const checks = await checkCluster({ db: database.db, sim, cluster, accepted: stats.accepted });
    // What the processes logged as errors, to read beside a failed check.
    const errors = [...cluster.apis, ...cluster.workers].flatMap((p) =>
      p.output
        .join('')
        .split('\n')
        .filter((l) => /"level":(50|60)/.test(l))
        .map((l) => `${p.name}: ${l.slice(0, 1500)}`),
    );
    const report = [...checks.lines.map((l) => `${l.ok ? 'ok  ' : 'FAIL'} ${l.text}`), ...errors].join('\n');
    expect(checks.ok, report).toBe(true);
    // The survivors carried on: the API still answers through the one address.
    expect((await call(cluster.url, admin.token, 'GET', '/me')).status).toBe(200);
    const { rows } = (await database.db.execute(sql`select count(*)::int as n from vm_operations`)) as unknown as {
      rows: { n: number }[];
    };
    expect(rows[0]!.n).toBeGreaterThanOrEqual(stats.accepted.length);
  }, 240_000);
});
