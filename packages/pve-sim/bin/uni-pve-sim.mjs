#!/usr/bin/env node
// The simulator's entry, committed so that npm links it at install time; it
// builds the package once if it has not been built, then runs it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('uni-pve-sim: building the simulator first (once)…\n');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-b', fileURLToPath(new URL('..', import.meta.url))], {
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
await import(cli.href);
