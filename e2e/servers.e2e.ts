import { randomBytes } from 'node:crypto';
import { startSimulator, type RunningSimulator } from '@uni-manager/pve-sim';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, newContext, screenshot, settled } from './browser.js';
import { ADMIN } from './env.js';
import { chooseTheme, login } from './flows.js';

const skip = inject('e2eSkip');
if (skip) console.warn(`e2e: ${skip}`);

let browser: Browser;
let sim: RunningSimulator;
beforeAll(async () => {
  if (skip) return;
  browser = await launch();
  // A cluster of our own, beside the demo one `npm start` registers: its fingerprint is what we check.
  sim = await startSimulator({ port: 0, nodes: 2, timeScale: 0.05, authFailureDelayMs: 0 });
});
afterAll(async () => {
  await browser?.close();
  await sim?.close();
});

async function showFingerprintStep(page: Page) {
  await page.getByTestId('certificate-panel').evaluate((el) => el.scrollIntoView({ block: 'start' }));
}

const unique = () => randomBytes(3).toString('hex');

describe.skipIf(Boolean(skip))('an administrator', () => {
  let ctx: BrowserContext;
  afterAll(async () => ctx?.close());

  it('adds a Proxmox server after checking its fingerprint and testing its token, and sees it healthy with its nodes', async () => {
    ctx = await newContext(browser, { colorScheme: 'dark' });
    const page = await ctx.newPage();
    await login(page, ADMIN.email, ADMIN.password);

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Servers' }).click();
    await page.waitForURL('**/admin/servers');
    await page.getByRole('heading', { level: 1, name: 'Servers' }).waitFor();

    const name = `lab-${unique()}`;
    await page.getByTestId('add-server').click();
    const dialog = page.getByTestId('server-dialog');
    await dialog.getByTestId('server-name').fill(name);
    await dialog.getByTestId('server-url').fill(sim.url);

    // Trust on first use is never silent: without a checked certificate the flow does not go on.
    await dialog.getByTestId('server-dialog-next').click();
    await dialog.getByTestId('trust-error').waitFor();
    expect(await dialog.getAttribute('data-step')).toBe('1');

    await dialog.getByTestId('fetch-certificate').click();
    const fingerprint = dialog.getByTestId('certificate-fingerprint');
    await fingerprint.waitFor();
    expect(await fingerprint.textContent()).toBe(sim.fingerprint);
    await dialog.getByTestId('server-dialog-next').click();
    expect(await dialog.getAttribute('data-step')).toBe('1');
    await showFingerprintStep(page);
    await screenshot(page, 'admin-servers-add-fingerprint-dark');

    await dialog.getByTestId('confirm-fingerprint').click();
    expect(await dialog.getByTestId('confirm-fingerprint').getAttribute('aria-checked')).toBe('true');
    await dialog.getByTestId('server-dialog-next').click();
    await expect.poll(() => dialog.getAttribute('data-step')).toBe('2');

    await dialog.getByTestId('token-id').fill(sim.tokens.admin.id);
    await dialog.getByTestId('token-secret').fill(sim.tokens.admin.secret);
    // Saving waits for a passing test.
    expect(await dialog.getByTestId('save-server').isDisabled()).toBe(true);
    await dialog.getByTestId('test-connection').click();
    const result = dialog.getByTestId('connection-result');
    await expect.poll(() => result.getAttribute('data-ok'), { timeout: 15_000 }).toBe('true');
    const tested = await result.textContent();
    for (const node of sim.nodes) expect(tested).toContain(node);
    await screenshot(page, 'admin-servers-add-tested-dark');

    await dialog.getByTestId('save-server').click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.locator(`[data-testid=server-row][data-name="${name}"]`);
    await row.waitFor();
    const servers = await page.locator('[data-testid=server-row]').count();
    expect(await row.getByTestId('health-badge').getAttribute('data-health')).toBe('healthy');
    expect(await row.textContent()).toContain(`${sim.nodes.length}/${sim.nodes.length} online`);
    await settled(page);
    await screenshot(page, 'admin-servers-dark');

    await row.getByRole('link', { name }).click();
    await page.waitForURL(/\/admin\/servers\/[0-9a-f-]{36}$/);
    await page.getByTestId('nodes-table').waitFor();
    await expect.poll(() => page.getByTestId('node-row').count()).toBe(sim.nodes.length);
    for (const node of sim.nodes) await page.locator(`[data-testid=node-row][data-node="${node}"]`).waitFor();
    expect(await page.getByTestId('health-badge').first().getAttribute('data-health')).toBe('healthy');
    // The charts may still be empty (the monitor samples every minute): only their frame is awaited.
    await page.getByTestId('health-charts').waitFor();
    await settled(page);
    await screenshot(page, 'admin-server-detail-dark');

    await chooseTheme(page, 'light');
    await screenshot(page, 'admin-server-detail-light');
    await page.goto('/admin/servers');
    await row.waitFor();
    await settled(page);
    await screenshot(page, 'admin-servers-light');

    // The fingerprint step in the light theme too; closing the dialog adds nothing.
    await page.getByTestId('add-server').click();
    await dialog.getByTestId('server-name').fill(`${name}-again`);
    await dialog.getByTestId('server-url').fill(sim.url);
    await dialog.getByTestId('fetch-certificate').click();
    await dialog.getByTestId('certificate-fingerprint').waitFor();
    await showFingerprintStep(page);
    await screenshot(page, 'admin-servers-add-fingerprint-light');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid=server-row]').count()).toBe(servers);
  });
});
