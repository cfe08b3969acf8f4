import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ADMIN, PORTS } from './env.js';

/**
 * Starts the product exactly as `npm start` does (scripts/start.mjs), on a
 * throw-away data directory, and stops it with SIGTERM afterwards, checking
 * that nothing is left listening.
 */
let product: ChildProcess | undefined;
let dataDir: string | undefined;
let output = '';

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

export async function setup(project: TestProject) {
  if (!existsSync('/usr/bin/chromium')) {
    if (process.env.E2E_REQUIRED)
      throw new Error('E2E_REQUIRED is set but /usr/bin/chromium is missing (apt-get install chromium)');
    project.provide('e2eSkip', 'Chromium is not installed (/usr/bin/chromium); browser journeys skipped');
    return;
  }
  project.provide('e2eSkip', '');
  dataDir = mkdtempSync(path.join(tmpdir(), 'um-e2e-'));
  product = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(PORTS.api),
      WEB_PORT: String(PORTS.web),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      NO_COLOR: '1',
      // Credits come from the admin in these journeys, and the credits journey moves time forward.
      INITIAL_CREDITS: '0',
      BILLING_ALLOW_FUTURE_RUNS: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  product.stdout!.on('data', (d) => (output += d));
  product.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 200_000;
  while (!output.includes('Uni-Manager is running')) {
    if (product.exitCode !== null) throw new Error(`npm start exited (${product.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function teardown() {
  if (!product) return;
  if (product.exitCode !== null || product.signalCode !== null) {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    return;
  }
  const exited = new Promise<number | null>((resolve) => product!.once('exit', (code) => resolve(code)));
  product.kill('SIGTERM');
  const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))]);
  const leftovers = [];
  for (const port of [PORTS.api, PORTS.web]) if (await portOpen(port)) leftovers.push(port);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (code === 'timeout') throw new Error('npm start did not stop within 20 s of SIGTERM');
  if (leftovers.length)
    throw new Error(`after SIGTERM, something still listens on port(s) ${leftovers.join(', ')}: orphan processes`);
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2eSkip: string;
  }
}
