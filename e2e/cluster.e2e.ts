import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPostgres, type Database } from '../apps/api/src/db/client.js';
import { createEmptyDatabase, startCluster, type Cluster } from '../apps/api/src/test/cluster.js';
import {
  CLUSTER_ENV,
  addSimulatorAndTemplate,
  clusterCall as call,
  signIn,
} from '../apps/api/src/test/cluster-load.js';
import { startSimulator, type RunningSimulator } from '../packages/pve-sim/src/index.js';
import { launch, newContext, screenshot } from './browser.js';
import { PASSWORD, register } from './flows.js';

/**
 * The web app in Chromium against two API instances and a separate worker
 * (PostgreSQL and Redis): the page's requests go to either API through one
 * address, its live stream to the second one, and an operation started on the
 * first and finished by the worker shows on the page as it happens.
 */
const skip = inject('e2eSkip');
const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
if ((process.env.E2E_REQUIRED || process.env.TEST_REQUIRE_SERVICES) && !skip && (!databaseUrl || !redisUrl))
  throw new Error('this journey needs TEST_DATABASE_URL and TEST_REDIS_URL');
const off = Boolean(skip) || !databaseUrl || !redisUrl;
if (!skip && off) console.warn('e2e: the two-instance journey needs TEST_DATABASE_URL and TEST_REDIS_URL; skipped');

const ADMIN_EMAIL = 'root@cluster-e2e.test';
const ADMIN_PASSWORD = 'cluster-Admin-passphrase-42';
let browser: Browser;
let ctx: BrowserContext;
let sim: RunningSimulator;
let cluster: Cluster;
let database: Database;
let empty: { url: string; drop(): Promise<void> } | undefined;
let templateId: string;

beforeAll(async () => {
  if (off) return;
  empty = await createEmptyDatabase(databaseUrl!, 'e2e_cluster');
  const url = new URL(empty.url);
  sim = await startSimulator({ port: 0, nodes: 2, timeScale: 0.02, authFailureDelayMs: 0, seed: 5 });
  cluster = await startCluster({
    databaseUrl: url.toString(),
    redisUrl: redisUrl!,
    apis: 2,
    workers: 1,
    env: {
      ...CLUSTER_ENV,
      REDIS_KEY_PREFIX: `ume2e:${randomBytes(4).toString('hex')}:`,
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
    },
  });
  database = openPostgres(url.toString(), { poolMax: 2 });
  const root = await signIn(cluster.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  templateId = await addSimulatorAndTemplate(cluster.url, root, database.db, sim);
  browser = await launch();
}, 180_000);

afterAll(async () => {
  await ctx?.close();
  await browser?.close();
  await cluster?.stop();
  await database?.close();
  await sim?.close();
  await empty?.drop();
}, 60_000);

describe.skipIf(off)('the web on two API instances', () => {
  it('shows an operation started on one API and finished by the worker, through a stream held by the other', async () => {
    const [a, b] = cluster.apis;
    ctx = await newContext(browser, { colorScheme: 'light' });
    // The page talks to the web origin; its API calls are sent on to this cluster instead of the
    // journeys' own product: everything through the cluster's one address (with the page's cookies,
    // and its answers' cookies kept for the web origin), the live stream straight to instance b.
    const streams: string[] = [];
    await ctx.route('**/api/v1/**', async (route) => {
      const req = route.request();
      const u = new URL(req.url());
      if (u.pathname === '/api/v1/me/stream') {
        streams.push(b!.url!);
        return route.continue({ url: `${b!.url}${u.pathname}${u.search}` });
      }
      const response = await route.fetch({
        url: `${cluster.url}${u.pathname}${u.search}`,
        headers: await req.allHeaders(),
      });
      return route.fulfill({ response });
    });
    const page = await ctx.newPage();
    const email = `two-${randomBytes(3).toString('hex')}@e2e.uni-manager.test`;
    await register(page, email, 'Two Instances');
    const user = await signIn(a!.url!, email, PASSWORD);

    const created = await call(a!.url!, user.token, 'POST', '/vms', { templateId, name: 'two-apis' });
    expect(created.status, JSON.stringify(created.json)).toBe(202);
    const vmId = (created.json!.vm as { id: string }).id;
    await expect
      .poll(async () => (await call(a!.url!, user.token, 'GET', `/vms/${vmId}`)).json?.powerState, {
        timeout: 90_000,
        interval: 250,
      })
      .toBe('running');

    await page.goto(`/vms/${vmId}`);
    const state = () => page.getByTestId('vm-status').first().getAttribute('data-state');
    await expect.poll(state, { timeout: 20_000 }).toBe('running');
    await expect
      .poll(() => page.getByTestId('live-status').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('live');
    expect(streams.length).toBeGreaterThan(0);

    // Stopped through instance a; the worker process does it; instance b's stream tells the page.
    const stop = await call(a!.url!, user.token, 'POST', `/vms/${vmId}/stop`);
    expect(stop.status, JSON.stringify(stop.json)).toBe(202);
    const seen = { api: 0, page: 0 };
    await Promise.all([
      expect
        .poll(
          async () => {
            const v = (await call(a!.url!, user.token, 'GET', `/vms/${vmId}`)).json as {
              powerState: string;
              activeOperation: unknown;
            };
            return v.powerState === 'stopped' && !v.activeOperation;
          },
          { timeout: 60_000, interval: 100 },
        )
        .toBe(true)
        .then(() => (seen.api = Date.now())),
      expect
        .poll(state, { timeout: 60_000, interval: 100 })
        .toBe('stopped')
        .then(() => (seen.page = Date.now())),
    ]);
    console.info(`two instances: the page showed the stop ${seen.page - seen.api} ms after the API did`);
    expect(seen.page - seen.api).toBeLessThan(1_500);
    await screenshot(page, 'two-instances-vm-stopped-light');
  }, 300_000);
});
