// The demo cluster of `npm start`: the Proxmox simulator, persisted under the
// data directory, registered once as a server so a newcomer can work at once.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, startChild } from './lib.mjs';

const DEMO_SERVER_NAME = 'Demo cluster';

/** Starts the simulator and resolves with its connection details (its --json line). */
export function startDemoCluster({ dataDir, port, log }) {
  const child = startChild(
    'demo cluster',
    process.execPath,
    [
      'packages/pve-sim/dist/cli.js',
      '--nodes',
      '2',
      '--port',
      String(port),
      '--state-dir',
      path.join(dataDir, 'pve-sim'),
      '--persist',
      // A demo should not make people wait 20 s for a clone; still slow enough to watch.
      '--time-scale',
      process.env.DEMO_TIME_SCALE ?? '0.25',
      '--cluster-name',
      'demo',
      '--json',
    ],
    {},
  );
  return new Promise((resolve, reject) => {
    let settled = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!settled && line.startsWith('{')) {
        settled = true;
        try {
          resolve({ child, info: JSON.parse(line) });
        } catch (e) {
          reject(e);
        }
      } else log.write(line + '\n');
    });
    child.stderr.on('data', (d) => log.write(d));
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`the demo cluster exited (code ${code}) before it was ready`));
    });
  });
}

/**
 * Registers the simulator as a server unless one with its URL exists. It runs
 * the CLI before the API starts: the embedded database has one process at a time.
 */
export function registerDemoCluster({ info, env }) {
  const secretFile = path.join(env.DATA_DIR, `.demo-token-${process.pid}`);
  writeFileSync(secretFile, info.tokens.admin.secret, { mode: 0o600 });
  try {
    const r = spawnSync(
      process.execPath,
      [
        'apps/api/dist/main.js',
        'servers',
        'add',
        '--if-absent',
        '--name',
        DEMO_SERVER_NAME,
        '--url',
        info.url,
        '--token-id',
        info.tokens.admin.id,
        '--token-secret-file',
        secretFile,
        '--fingerprint',
        info.fingerprint,
      ],
      { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error((r.stderr || r.stdout || `exit ${r.status}`).trim());
    return r.stdout.trim();
  } finally {
    rmSync(secretFile, { force: true });
  }
}

/**
 * Adds the demo templates (Debian, Ubuntu, AlmaLinux) cloned from the demo
 * cluster's template VMs. The command does nothing once any template exists,
 * so every later start leaves the admin's templates alone. Same reason as above
 * for running it before the API.
 */
export function addDemoTemplates({ env }) {
  const r = spawnSync(
    process.execPath,
    ['apps/api/dist/main.js', 'templates', 'add-demo', '--server-name', DEMO_SERVER_NAME],
    { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error((r.stderr || r.stdout || `exit ${r.status}`).trim());
  return r.stdout.trim();
}
