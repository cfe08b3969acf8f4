/**
 * bench:web-bundle — the JavaScript a first visit to a page makes the browser
 * fetch, gzip-compressed, next to its budget.
 *
 *   npm run bench:web-bundle -- [--page /dashboard] [--target-kb 200] [--top 10]
 *                               [--build | --no-build] [--timeout 60]
 *
 * It runs the production build of apps/web: `next build` first when there is
 * no build, or when a source of apps/web or packages/contracts is newer than
 * it (--build always rebuilds, --no-build never does and fails without one).
 * Then `next start` on a free port of 127.0.0.1, and a headless Chromium
 * (playwright-core, /usr/bin/chromium) loads the page once with an empty cache.
 *
 * No API runs. Every request to /api/* is held open until the page has been
 * measured, so a signed-in page stays on its loading state instead of
 * redirecting to /login: what is counted is what the page's route needs
 * before any data arrives (Next's "first load JS"). Chunks a page imports
 * lazily once its data is there (next/dynamic) are not counted, by design.
 *
 * Each JavaScript response body is gzipped here (zlib, default level 6), so
 * the figure does not depend on whether or how the server compresses.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Route } from 'playwright-core';
import { loadSummary, machineSummary } from '../lib/machine.js';
import { table } from '../lib/stats.js';

const { values: opt } = parseArgs({
  options: {
    page: { type: 'string', default: '/dashboard' },
    'target-kb': { type: 'string', default: '200' },
    top: { type: 'string', default: '10' },
    build: { type: 'boolean' },
    'no-build': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '60' },
  },
});
const PAGE = opt.page;
const TARGET_KB = Number(opt['target-kb']);
const TOP = Number(opt.top);
const TIMEOUT_MS = Number(opt.timeout) * 1000;
if (!PAGE.startsWith('/')) throw new Error('--page takes a path such as /dashboard');
if (![TARGET_KB, TOP, TIMEOUT_MS].every((n) => Number.isFinite(n) && n > 0)) {
  throw new Error('--target-kb, --top and --timeout take positive numbers');
}

const ROOT = path.resolve(import.meta.dirname, '../..');
const WEB = path.join(ROOT, 'apps/web');
const BUILD_ID = path.join(WEB, '.next/BUILD_ID');
const CHROMIUM = '/usr/bin/chromium';
/** No new script request for this long after `load`: the first load is over. */
const QUIET_MS = 2_000;

const out = (s = '') => process.stdout.write(`${s}\n`);
const progress = (s: string) => process.stderr.write(`… ${s}\n`);
const failures: string[] = [];
const checks: string[] = [];
const check = (ok: boolean, what: string) => {
  checks.push(`  ${ok ? 'ok  ' : 'FAIL'}  ${what}`);
  if (!ok) failures.push(what);
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** What main() started, stopped in reverse order however it ends. */
const cleanup: (() => Promise<unknown>)[] = [];

/** Newest modification time of the files a web build is made from. */
function newestSource(dirs: string[]): number {
  const skip = new Set(['node_modules', '.next', 'dist', 'next-env.d.ts', 'tsconfig.json']);
  let newest = 0;
  const walk = (p: string) => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const e of readdirSync(p)) if (!skip.has(e) && !e.endsWith('.tsbuildinfo')) walk(path.join(p, e));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  for (const d of dirs) walk(d);
  return newest;
}

function ensureBuild(): string {
  const built = statSync(BUILD_ID, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sources = newestSource([WEB, path.join(ROOT, 'packages/contracts/src')]);
  const stale = built === 0 || sources > built;
  if (opt['no-build']) {
    if (built === 0) throw new Error('no web build: run `npm run build -w @uni-manager/web` first, or drop --no-build');
    return stale ? 'existing build (sources are newer: --no-build kept it)' : 'existing build, up to date';
  }
  if (!opt.build && !stale) return 'existing build, up to date';
  progress(`next build (${built === 0 ? 'no build yet' : opt.build ? '--build' : 'sources changed'}); a few minutes`);
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: WEB,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (r.status !== 0) throw new Error(`next build failed (exit ${r.status ?? r.signal})`);
  return 'built now';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function startNext(port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'],
    { cwd: WEB, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } },
  );
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  cleanup.push(async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${log}`);
    if (Date.now() > deadline) throw new Error(`next start did not answer within ${opt.timeout} s:\n${log}`);
    const up = await fetch(`http://127.0.0.1:${port}/login`).then(
      (r) => r.status < 500,
      () => false,
    );
    if (up) return child;
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface Script {
  url: string;
  raw: number;
  gzip: number;
}

async function measure(browser: Browser, origin: string) {
  const context = await browser.newContext({ colorScheme: 'dark', locale: 'en-GB' });
  const page = await context.newPage();
  const held: Route[] = [];
  await page.route('**/api/**', (route) => void held.push(route));
  const pending: Promise<void>[] = [];
  const scripts: Script[] = [];
  page.on('response', (response) => {
    const request = response.request();
    if (request.resourceType() !== 'script' && !/\.m?js(\?|$)/.test(new URL(response.url()).pathname)) return;
    pending.push(
      response.body().then(
        (body) => void scripts.push({ url: response.url(), raw: body.length, gzip: gzipSync(body).length }),
        () => {},
      ),
    );
  });
  let lastScriptAt = performance.now();
  page.on('request', (request) => {
    if (request.resourceType() === 'script') lastScriptAt = performance.now();
  });
  const started = performance.now();
  const response = await page.goto(`${origin}${PAGE}`, { waitUntil: 'load', timeout: TIMEOUT_MS });
  // Chunks the bootstrap asks for after `load` belong to the first load too. The held API
  // requests keep the network busy for good, so "idle" means no new script for QUIET_MS.
  while (performance.now() - lastScriptAt < QUIET_MS && performance.now() - started < TIMEOUT_MS) {
    await new Promise((r) => setTimeout(r, 100));
  }
  await Promise.all(pending);
  const elapsed = lastScriptAt - started;
  const html = response ? await response.body().catch(() => undefined) : undefined;
  const finalPath = new URL(page.url()).pathname;
  const heldCount = held.length;
  await context.close();
  const document = html ? { raw: html.length, gzip: gzipSync(html).length } : undefined;
  return { status: response?.status() ?? 0, finalPath, scripts, heldCount, elapsed, document };
}

async function main() {
  out(`bench:web-bundle  ${new Date().toISOString()}`);
  out(`  machine   ${machineSummary()}`);
  out(`  load      ${loadSummary()}`);
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM} (apt-get install chromium)`);
  const build = ensureBuild();
  out(`  build     apps/web/.next, ${build}`);
  const port = await freePort();
  await startNext(port);
  const origin = `http://127.0.0.1:${port}`;
  out(`  server    next start on ${origin}, /api/* held open (no API)`);
  out(`  page      ${PAGE}, one cold load in headless Chromium`);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
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
  cleanup.push(() => browser.close());
  const m = await measure(browser, origin);
  const total = m.scripts.reduce((sum, s) => sum + s.gzip, 0);
  const raw = m.scripts.reduce((sum, s) => sum + s.raw, 0);
  const ownOrigin = m.scripts.every((s) => s.url.startsWith(origin));

  check(m.status === 200, `${PAGE} answered 200 (got ${m.status})`);
  check(m.finalPath === PAGE, `the page stayed on ${PAGE} (ended on ${m.finalPath}): nothing else's chunks counted`);
  check(m.scripts.length > 0, `JavaScript was fetched (${m.scripts.length} files)`);
  check(ownOrigin, 'every script came from the web origin');
  out('\nChecks');
  for (const line of checks) out(line);
  if (failures.length) throw new Error(`${failures.length} check(s) failed: figures not printed`);

  const target = TARGET_KB * 1024;
  out('\nFigures');
  out(
    table([
      ['first-load JS, gzip', `${kb(total)}  target ≤ ${TARGET_KB} KB  ${total <= target ? 'PASS' : 'MISS'}`],
      ['first-load JS, uncompressed', kb(raw)],
      ['scripts fetched', String(m.scripts.length)],
      // Not JavaScript, so not in the total, but it carries the flight data (the dictionary among it).
      ['HTML document, gzip (not counted)', m.document ? kb(m.document.gzip) : 'n/a'],
      ['API requests held', String(m.heldCount)],
      ['last script requested after', `${(m.elapsed / 1000).toFixed(1)} s`],
    ]),
  );
  out(`\nLargest ${Math.min(TOP, m.scripts.length)} (gzip, uncompressed, share of the total)`);
  const largest = [...m.scripts].sort((a, b) => b.gzip - a.gzip).slice(0, TOP);
  out(
    table(
      largest.map((s) => [
        new URL(s.url).pathname.replace('/_next/static/chunks/', ''),
        `${kb(s.gzip).padStart(9)}  ${kb(s.raw).padStart(9)}  ${((100 * s.gzip) / total).toFixed(0).padStart(3)} %`,
      ]),
    ),
  );
}

try {
  await main();
} catch (err) {
  out(`\n${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  for (const fn of cleanup.reverse()) await fn().catch(() => {});
}
