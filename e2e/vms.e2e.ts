import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, newContext, screenshot } from './browser.js';
import { adminApi, register } from './flows.js';

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

const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e student@laptop';

async function vmState(page: Page) {
  return page.getByTestId('vm-status').first().getAttribute('data-state');
}

/** Counts the pixels of the console canvas that are not black: a drawn framebuffer has plenty. */
async function drawnPixels(page: Page): Promise<number> {
  return page.getByTestId('console-screen').evaluate((el) => {
    const canvas = el.querySelector('canvas');
    if (!canvas || !canvas.width) return 0;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let lit = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! + data[i + 1]! + data[i + 2]! > 60) lit++;
    return lit;
  });
}

describe.skipIf(Boolean(skip))('a student', () => {
  let ctx: BrowserContext;
  afterAll(async () => ctx?.close());

  it('creates a VM from a demo template, watches it start, uses its console, resizes, stops and deletes it', async () => {
    ctx = await newContext(browser, { colorScheme: 'dark' });
    const page = await ctx.newPage();
    const email = `student-${randomBytes(3).toString('hex')}@e2e.uni-manager.test`;
    await register(page, email, 'Student');
    // Ten credits from the admin: a VM is refused without an hour of its rate.
    await (await adminApi()).grant(email, 100_000);

    // The catalog: demo templates with their prices.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Catalog' }).click();
    await page.waitForURL('**/templates');
    await page.getByText('Debian 12', { exact: true }).first().waitFor();
    await screenshot(page, 'templates-catalog-dark');

    // The wizard: template, name, access, review.
    await page.goto('/vms/new');
    await page.locator('[data-testid=vm-template-option][data-name="Debian 12"]').click();
    await page.getByTestId('vm-wizard-next').click();
    await page.getByTestId('vm-name-input').fill('Bad_Name');
    await page.getByTestId('vm-wizard-next').click();
    // A hostname cannot have an underscore: the wizard says so before anything is sent.
    expect(await page.getByTestId('vm-create-form').getAttribute('data-step')).toBe('configure');
    await page.getByTestId('vm-name-input').fill('my-first-vm');
    await page.getByTestId('vm-wizard-next').click();
    await expect.poll(() => page.getByTestId('vm-create-form').getAttribute('data-step')).toBe('access');
    await page.getByTestId('vm-ssh-keys-input').fill(SSH_KEY);
    await page.getByTestId('vm-wizard-next').click();
    await expect.poll(() => page.getByTestId('vm-create-form').getAttribute('data-step')).toBe('review');
    const summary = await page.getByTestId('vm-create-summary').textContent();
    expect(summary).toContain('my-first-vm');
    await screenshot(page, 'vm-create-review-dark');
    await page.getByTestId('vm-create-submit').click();

    // Its page follows the operation step by step until it runs.
    await page.waitForURL(/\/vms\/[0-9a-f-]{36}$/, { timeout: 60_000 }).catch(async (e: Error) => {
      await screenshot(page, 'vm-create-failed');
      const shown = await page
        .getByTestId('vm-create-error')
        .textContent({ timeout: 1000 })
        .catch(() => null);
      throw new Error(`${e.message}\nthe wizard shows: ${shown}`);
    });
    const vmUrl = page.url();
    await page.getByTestId('vm-progress').waitFor();
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          const step = await page.getByTestId('vm-status').first().getAttribute('data-step');
          if (step) seen.add(step);
          if (seen.has('cloning') && !seen.has('shot')) {
            seen.add('shot');
            await screenshot(page, 'vm-creating-dark');
          }
          return vmState(page);
        },
        { timeout: 90_000, interval: 100 },
      )
      .toBe('running');
    expect([...seen].some((s) => ['queued', 'placing', 'cloning', 'configuring', 'starting'].includes(s))).toBe(true);
    await screenshot(page, 'vm-running-dark');

    // The console: a framebuffer drawn by the VM, through our proxy.
    await page.getByTestId('vm-console-button').click();
    await page.waitForURL(/\/console$/);
    await expect
      .poll(() => page.getByTestId('console-status').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('connected');
    await expect.poll(() => drawnPixels(page), { timeout: 15_000 }).toBeGreaterThan(1000);
    await screenshot(page, 'vm-console-dark');
    await page.getByTestId('console-ctrl-alt-del').click();
    expect(await page.getByTestId('console-status').getAttribute('data-status')).toBe('connected');

    // Back to the VM: one more core, which waits for a reboot on a running VM.
    await page.goto(vmUrl);
    await page.getByTestId('vm-action-resize').click();
    const cores = page.getByTestId('vm-resize-cores');
    const current = Number(await cores.inputValue());
    await cores.fill(String(current + 1));
    await page.getByTestId('vm-resize-submit').click();
    // On a running VM, Proxmox holds the new core count until the next reboot: the page says so.
    await page.getByTestId('vm-pending').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('vm-pending').textContent()).toContain(`${current + 1}`);
    expect(await page.getByTestId('vm-size').textContent()).toContain(`${current} vCPU`);
    await screenshot(page, 'vm-resized-dark');

    // A reboot applies it.
    await expect.poll(() => vmState(page), { timeout: 30_000 }).toBe('running');
    await page.getByTestId('vm-action-reboot').click();
    await page.getByTestId('vm-confirm').click();
    await page.getByTestId('vm-pending').waitFor({ state: 'detached', timeout: 60_000 });
    expect(await page.getByTestId('vm-size').textContent()).toContain(`${current + 1} vCPU`);

    // Stop, confirmed.
    await expect.poll(() => vmState(page), { timeout: 30_000 }).toBe('running');
    await page.getByTestId('vm-action-stop').click();
    await page.getByTestId('vm-confirm').click();
    await expect.poll(() => vmState(page), { timeout: 30_000 }).toBe('stopped');

    // Delete: the dialog wants the VM's name typed.
    await page.getByTestId('vm-action-delete').click();
    const confirm = page.getByTestId('vm-delete-confirm');
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByTestId('vm-delete-confirm-input').fill('my-first-vm');
    await confirm.click();
    await page.goto('/vms');
    await expect
      .poll(async () => page.getByTestId('vm-row-my-first-vm').count(), { timeout: 60_000, interval: 500 })
      .toBe(0);
    await screenshot(page, 'vms-empty-after-delete-dark');
  }, 240_000);
});
