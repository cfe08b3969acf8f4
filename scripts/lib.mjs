// Helpers shared by start, build and test. Node built-ins only: these run
// before `npm install` has, on a fresh clone.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (s) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
export const bold = paint('1');
export const dim = paint('2');
export const green = paint('32');
export const red = paint('31');
export const yellow = paint('33');
export const cyan = paint('36');

export function step(msg) {
  process.stdout.write(`${cyan('›')} ${msg}\n`);
}

export function fail(msg) {
  process.stderr.write(`${red('✗')} ${msg}\n`);
  process.exit(1);
}

export function checkNode() {
  const [maj, min] = process.versions.node.split('.').map(Number);
  if (maj < 20 || (maj === 20 && min < 19))
    fail(`Uni-Manager needs Node.js 20.19 or newer; this is ${process.versions.node}.`);
}

/** Runs a command to completion, streaming its output; exits on failure. */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts, env: { ...process.env, ...opts.env } });
  if (r.status !== 0)
    fail(`${[cmd, ...args].join(' ')} failed${r.status === null ? ` (${r.signal})` : ` (exit ${r.status})`}`);
}

/** Newest modification time under the given paths, skipping build output and dependencies. */
export function newestMtime(paths, skip = ['node_modules', '.next', 'dist', '.turbo', 'data']) {
  let newest = 0;
  const walk = (p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const e of readdirSync(p)) if (!skip.includes(e) && !e.endsWith('.tsbuildinfo')) walk(path.join(p, e));
    } else if (st.mtimeMs > newest) newest = st.mtimeMs;
  };
  for (const p of paths) walk(path.resolve(ROOT, p));
  return newest;
}

function mtime(p) {
  try {
    return statSync(path.resolve(ROOT, p)).mtimeMs;
  } catch {
    return 0;
  }
}

/** Installs dependencies when node_modules is missing or older than the lock file. */
export function ensureDependencies() {
  const marker = 'node_modules/.package-lock.json';
  if (existsSync(path.join(ROOT, marker)) && mtime(marker) >= mtime('package-lock.json')) return false;
  step('Installing dependencies (first run; this takes a minute or two)…');
  run(NPM, ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
  return true;
}

const WEB_STAMP = 'apps/web/.next/uni-manager-build.json';

/**
 * Compiles contracts, the simulator and the API (tsc -b is incremental, so this is quick when
 * nothing changed) and rebuilds the web only when its sources or the
 * contracts changed since the last build.
 */
export function buildStale({ force = false } = {}) {
  const apiSources = newestMtime([
    'packages/contracts/src',
    'packages/pve-sim/src',
    'apps/api/src',
    'apps/api/tsconfig.json',
    'packages/contracts/tsconfig.json',
    'packages/pve-sim/tsconfig.json',
  ]);
  // mtime() is 0 for a missing file, so a fresh clone always compiles.
  const built = Math.min(mtime('apps/api/dist/main.js'), mtime('packages/pve-sim/dist/cli.js'));
  if (force || apiSources > built) {
    step('Compiling the API and the Proxmox simulator…');
    run(process.execPath, [
      path.join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-b',
      'packages/contracts',
      'packages/pve-sim',
      'apps/api',
    ]);
  }
  let stamp = {};
  try {
    stamp = JSON.parse(readFileSync(path.join(ROOT, WEB_STAMP), 'utf8'));
  } catch {}
  // next build rewrites tsconfig.json and next-env.d.ts itself: they do not make a build stale.
  const webSources = Math.max(
    newestMtime(['apps/web'], ['node_modules', '.next', 'next-env.d.ts', 'tsconfig.json']),
    newestMtime(['packages/contracts/src']),
  );
  if (force || !existsSync(path.join(ROOT, 'apps/web/.next/BUILD_ID')) || webSources > (stamp.builtAt ?? 0)) {
    step('Building the web front end (about a minute)…');
    run(process.execPath, [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], {
      cwd: path.join(ROOT, 'apps/web'),
      env: { NEXT_TELEMETRY_DISABLED: '1' },
    });
    writeFileSync(path.join(ROOT, WEB_STAMP), JSON.stringify({ builtAt: Date.now() }) + '\n');
  }
}

export function portFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

export async function waitFor(url, { timeoutMs = 60_000, child, name } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null)
      throw new Error(`${name} exited (code ${child.exitCode}) before it was ready`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${name ?? url} was not ready within ${timeoutMs / 1000} s`);
}

/** Starts a long-running child in its own process group, so stopping it stops its children too. */
export function startChild(name, cmd, args, opts) {
  const child = spawn(cmd, args, {
    cwd: ROOT,
    detached: process.platform !== 'win32',
    stdio: ['ignore', 'pipe', 'pipe'],
    ...opts,
    env: { ...process.env, ...opts?.env },
  });
  child.name = name;
  return child;
}

export async function stopChildren(children, { graceMs = 10_000 } = {}) {
  const alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
  const signal = (c, sig) => {
    try {
      if (process.platform === 'win32') c.kill(sig);
      else process.kill(-c.pid, sig);
    } catch {}
  };
  alive.forEach((c) => signal(c, 'SIGTERM'));
  await Promise.all(
    alive.map(
      (c) =>
        new Promise((resolve) => {
          const t = setTimeout(() => {
            signal(c, 'SIGKILL');
            resolve();
          }, graceMs);
          c.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
        }),
    ),
  );
}
