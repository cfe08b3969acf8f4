import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, newContext, screenshot } from './browser.js';
import { ADMIN } from './env.js';
import { adminApi, login, register } from './flows.js';

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

const HOUR = 3_600_000;
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e student@laptop';

async function vmState(page: Page) {
  return page.getByTestId('vm-status').first().getAttribute('data-state');
}

/**
 * The money, as the people who use it see it: an admin grants a class its
 * credits, a student runs a VM and is charged for it as time passes, the
 * credits run out, the VM is shut down and the student is told why, and
 * starting it again is refused until the admin grants more.
 */
describe.skipIf(Boolean(skip))('credits', () => {
  const contexts: BrowserContext[] = [];
  afterAll(async () => Promise.all(contexts.map((c) => c.close())));

  it('are granted to a class, spent by a running VM cycle after cycle, and their end shuts the VM down', async () => {
    const tag = randomBytes(3).toString('hex');
    const students = [`ada-${tag}@e2e.uni-manager.test`, `grace-${tag}@e2e.uni-manager.test`];
    const studentCtx = await newContext(browser, { colorScheme: 'dark' });
    contexts.push(studentCtx);
    const student = await studentCtx.newPage();
    await register(student, students[0]!, 'Ada');
    const otherCtx = await newContext(browser);
    contexts.push(otherCtx);
    await register(await otherCtx.newPage(), students[1]!, 'Grace');

    // The admin grants the class 0.10 credits each, from a pasted list (one address has no account).
    const adminCtx = await newContext(browser, { colorScheme: 'light' });
    contexts.push(adminCtx);
    const admin = await adminCtx.newPage();
    await login(admin, ADMIN.email, ADMIN.password);
    await admin.goto('/admin/billing');
    await admin.getByTestId('open-batch-grant').click();
    await admin.getByTestId('batch-mode-emails').click();
    await admin.getByTestId('batch-emails').fill([...students, `nobody-${tag}@e2e.uni-manager.test`].join('\n'));
    await admin.getByTestId('batch-amount').fill('0.10');
    await admin.getByTestId('batch-reason').fill('Lab 1: your first VM');
    await admin.getByTestId('batch-submit').click();
    await admin.getByTestId('batch-result').waitFor();
    expect(await admin.locator('[data-result=granted]').textContent()).toContain('2');
    expect(await admin.getByTestId('batch-not-found').textContent()).toContain(`nobody-${tag}`);
    await screenshot(admin, 'billing-class-grant-light');
    await admin.getByTestId('batch-close').click();

    // The student sees the credits, and the notification that brought them.
    await student.goto('/dashboard');
    await expect.poll(() => student.getByTestId('balance-live').textContent(), { timeout: 30_000 }).toContain('0.10');
    await expect.poll(() => student.getByTestId('notification-count').textContent(), { timeout: 30_000 }).toBe('1');

    // A VM from the catalog: 0.05 credits an hour while it runs.
    await student.goto('/vms/new');
    await student.locator('[data-testid=vm-template-option][data-name="Debian 12"]').click();
    await student.getByTestId('vm-wizard-next').click();
    await student.getByTestId('vm-name-input').fill('billed-vm');
    await student.getByTestId('vm-wizard-next').click();
    await expect.poll(() => student.getByTestId('vm-create-form').getAttribute('data-step')).toBe('access');
    await student.getByTestId('vm-ssh-keys-input').fill(SSH_KEY);
    await student.getByTestId('vm-wizard-next').click();
    await expect.poll(() => student.getByTestId('vm-create-form').getAttribute('data-step')).toBe('review');
    await student.getByTestId('vm-create-submit').click();
    await student.waitForURL(/\/vms\/[0-9a-f-]{36}$/, { timeout: 60_000 });
    const vmUrl = student.url();
    await expect.poll(() => vmState(student), { timeout: 90_000, interval: 200 }).toBe('running');

    // An hour later (a billing run up to then, as `billing run --at` does), the charge is on /credits.
    const api = await adminApi();
    const started = Date.now();
    await api.runBilling(new Date(started + HOUR));
    await student.goto('/credits');
    const usage = student.locator('[data-testid=transaction-row][data-kind=usage]');
    await usage.first().waitFor({ timeout: 30_000 });
    expect(await usage.first().getByTestId('transaction-vm').textContent()).toContain('billed-vm');
    expect(await usage.first().getByTestId('transaction-amount').textContent()).toMatch(/0\.05/);
    await screenshot(student, 'billing-credits-dark');

    // Two hours more: 0.15 used of 0.10. The run checks balances at once: the VM is shut down.
    await api.runBilling(new Date(started + 3 * HOUR));
    await student.goto(vmUrl);
    await expect.poll(() => vmState(student), { timeout: 90_000, interval: 500 }).toBe('stopped');
    await expect
      .poll(() => student.getByTestId('balance-banner').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('exhausted');
    await student.getByTestId('notification-bell').click();
    await student.locator('[data-testid=notification-item][data-kind=auto_shutdown]').waitFor({ timeout: 30_000 });
    expect(
      await student.locator('[data-testid=notification-item][data-kind=auto_shutdown]').first().textContent(),
    ).toContain('billed-vm');
    await screenshot(student, 'billing-shut-down-dark');
    await student.keyboard.press('Escape');

    // Starting it again is refused, with the reason.
    await student.getByTestId('vm-action-start').click();
    await student
      .getByText(/Not enough credits/)
      .first()
      .waitFor({ timeout: 30_000 });
    expect(await vmState(student)).toBe('stopped');
    await screenshot(student, 'billing-start-refused-dark');

    // Until the admin grants more.
    await admin.goto(`/admin/users/${await api.userId(students[0]!)}`);
    await admin.getByTestId('grant-credits').click();
    await admin.getByTestId('adjust-amount').fill('2');
    await admin.getByTestId('adjust-reason').fill('More time for the lab');
    await admin.getByTestId('adjust-submit').click();
    await admin.getByTestId('adjust-credits-dialog').waitFor({ state: 'detached', timeout: 30_000 });
    await screenshot(admin, 'billing-user-ledger-light');

    await student.reload();
    await expect.poll(() => vmState(student), { timeout: 30_000 }).toBe('stopped');
    await student.getByTestId('vm-action-start').click();
    await expect.poll(() => vmState(student), { timeout: 90_000, interval: 500 }).toBe('running');
    await expect.poll(() => student.getByTestId('balance-banner').count(), { timeout: 45_000 }).toBe(0);
  }, 300_000);
});
