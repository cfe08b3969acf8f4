import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, newContext, screenshot } from './browser.js';
import { BASE_URL } from './env.js';
import { adminApi, PASSWORD, register } from './flows.js';

const skip = inject('e2eSkip');
if (skip) console.warn(`e2e: ${skip}`);

let browser: Browser;
beforeAll(async () => {
  if (skip) return;
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** The user's side of the API from another client (a script, a second device): its own session. */
async function userApi(email: string) {
  const api = (path: string) => `${BASE_URL}/api/v1${path}`;
  const login = await fetch(api('/auth/login'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(login.status).toBe(200);
  const { accessToken } = (await login.json()) as { accessToken: string };
  return async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(api(path), {
      method,
      headers: { authorization: `Bearer ${accessToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as T;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
}

interface VmState {
  powerState: string;
  activeOperation: unknown;
}

const liveStatus = (page: Page) => page.getByTestId('live-status').getAttribute('data-status');
const vmState = (page: Page) => page.getByTestId('vm-status').first().getAttribute('data-state');

describe.skipIf(Boolean(skip))('live updates', () => {
  let ctx: BrowserContext;
  afterAll(async () => ctx?.close());

  it('a VM page follows an operation started elsewhere without polling, and says when updates are interrupted', async () => {
    ctx = await newContext(browser, { colorScheme: 'dark' });
    const page = await ctx.newPage();
    const email = `live-${randomBytes(3).toString('hex')}@e2e.uni-manager.test`;
    await register(page, email, 'Live Student');
    await (await adminApi()).grant(email, 100_000);

    // A running VM, created and waited for from another client.
    const call = await userApi(email);
    const catalog = await call<{ items: { id: string; name: string }[] }>('GET', '/templates');
    const template = catalog.items.find((t) => t.name === 'Debian 12') ?? catalog.items[0]!;
    const { vm } = await call<{ vm: { id: string } }>('POST', '/vms', { templateId: template.id, name: 'live-vm' });
    await expect
      .poll(async () => (await call<VmState>('GET', `/vms/${vm.id}`)).powerState, { timeout: 90_000, interval: 500 })
      .toBe('running');

    // The page, once its stream is live.
    await page.goto(`/vms/${vm.id}`);
    await expect.poll(() => vmState(page), { timeout: 15_000 }).toBe('running');
    await expect.poll(() => liveStatus(page), { timeout: 15_000 }).toBe('live');
    expect(await page.getByTestId('live-reconnecting').count()).toBe(0);

    // While live, the page does not poll the VM: without the stream it would ask every 10 s.
    const detailPath = `/api/v1/vms/${vm.id}`;
    const detailGets: number[] = [];
    const onRequest = (r: Request) => {
      if (r.method() === 'GET' && new URL(r.url()).pathname === detailPath) detailGets.push(Date.now());
    };
    await page.waitForTimeout(1_000);
    page.on('request', onRequest);
    await page.waitForTimeout(12_000);
    expect(detailGets).toEqual([]);

    // Stopped from the other client: the page shows it as soon as the API has it, not at the next poll.
    await call('POST', `/vms/${vm.id}/stop`);
    const seen = { api: 0, page: 0 };
    await Promise.all([
      expect
        .poll(
          async () => {
            const v = await call<VmState>('GET', `/vms/${vm.id}`);
            return v.powerState === 'stopped' && !v.activeOperation;
          },
          { timeout: 60_000, interval: 100 },
        )
        .toBe(true)
        .then(() => (seen.api = Date.now())),
      expect
        .poll(() => vmState(page), { timeout: 60_000, interval: 100 })
        .toBe('stopped')
        .then(() => (seen.page = Date.now())),
    ]);
    console.info(`live: the page showed the stop ${seen.page - seen.api} ms after the API did`);
    expect(seen.page - seen.api).toBeLessThan(2_000);
    // What the page fetched, it fetched because an event said so: each GET came with the operation's steps.
    expect(detailGets.length).toBeGreaterThan(0);
    page.off('request', onRequest);
    await screenshot(page, 'live-vm-stopped-dark');

    // The stream cut, and every attempt to reopen it refused: the top bar says updates may be delayed.
    await page.route('**/api/v1/me/stream', (route) => route.abort('connectionreset'));
    await ctx.setOffline(true);
    await expect.poll(() => liveStatus(page), { timeout: 15_000 }).toBe('reconnecting');
    await ctx.setOffline(false);
    const indicator = page.getByTestId('live-reconnecting');
    await indicator.waitFor({ timeout: 15_000 });
    expect(await indicator.textContent()).toContain('Reconnecting… updates may be delayed');
    expect(await page.getByRole('status').filter({ has: indicator }).count()).toBe(1);
    await screenshot(page, 'live-reconnecting-dark');

    // Meanwhile the page polls again, so a change still shows, only later.
    await call('POST', `/vms/${vm.id}/start`);
    await expect.poll(() => vmState(page), { timeout: 60_000, interval: 250 }).toBe('running');

    // The stream back: the indicator goes.
    await page.unroute('**/api/v1/me/stream');
    await expect.poll(() => liveStatus(page), { timeout: 45_000, interval: 250 }).toBe('live');
    await indicator.waitFor({ state: 'detached', timeout: 5_000 });
  }, 240_000);
});
