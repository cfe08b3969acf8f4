import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { BASE_URL } from './env.js';

export const ARTIFACTS = path.resolve(import.meta.dirname, 'artifacts');
export const SCREENSHOTS = path.join(ARTIFACTS, 'screenshots');

export async function launch(): Promise<Browser> {
  return chromium.launch({
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
}

/** Requests in flight per context, but for the live stream, which stays open as long as a signed-in page. */
const inFlight = new WeakMap<BrowserContext, Set<Request>>();
const isLiveStream = (r: Request) => new URL(r.url()).pathname === '/api/v1/me/stream';

/** A fresh browser profile: its own cookies, storage and colour scheme. */
export async function newContext(
  browser: Browser,
  opts: { colorScheme?: 'dark' | 'light'; locale?: string; width?: number } = {},
): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    baseURL: BASE_URL,
    colorScheme: opts.colorScheme ?? 'dark',
    locale: opts.locale ?? 'en-GB',
    viewport: { width: opts.width ?? 1360, height: 860 },
  });
  const pending = new Set<Request>();
  inFlight.set(ctx, pending);
  ctx.on('request', (r) => {
    if (!isLiveStream(r)) pending.add(r);
  });
  ctx.on('requestfinished', (r) => void pending.delete(r));
  ctx.on('requestfailed', (r) => void pending.delete(r));
  return ctx;
}

/**
 * What `waitForLoadState('networkidle')` waited for before pages kept a live
 * stream open (which that state then never reaches): loaded, and no request
 * in flight for half a second.
 */
export async function settled(page: Page, timeout = 30_000) {
  await page.waitForLoadState('load');
  const pending = inFlight.get(page.context());
  if (!pending) throw new Error('settled() needs a context made by newContext()');
  const until = Date.now() + timeout;
  let quietSince = Date.now();
  for (;;) {
    if (pending.size > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= 500) return;
    if (Date.now() > until) throw new Error(`still loading after ${timeout} ms: ${[...pending].map((r) => r.url())}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
