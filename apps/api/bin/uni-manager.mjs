#!/usr/bin/env node
// The command line's entry, committed so that npm links it at install time
// (a bin pointing into dist/ would not exist yet on a fresh clone). It builds
// the API once if it has not been built, then runs it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('uni-manager: building the API first (once)…\n');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-b', fileURLToPath(new URL('..', import.meta.url))], {
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
await import(main.href);
