#!/usr/bin/env node
// `npm test`: lint, typecheck, unit and integration tests (on embedded PGlite,
// and again on PostgreSQL and Redis when TEST_DATABASE_URL/TEST_REDIS_URL are
// set), the web build, and the browser journeys. Every step runs; the summary
// at the end says which failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, bold, buildStale, checkNode, ensureDependencies, green, red, step, yellow } from './lib.mjs';

checkNode();
ensureDependencies();

const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);
const results = [];
const counts = { passed: 0, failed: 0, skipped: 0 };
const only = process.argv.slice(2);
// `npm test -- lint e2e`: only the steps named, a step's first word enough ("e2e" for "e2e (Chromium)").
const want = (name) => only.length === 0 || only.some((o) => name === o || name.startsWith(`${o} `));

function runStep(name, cmd, args, env = {}) {
  if (!want(name)) return true;
  step(bold(name));
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  results.push({ name, ok, seconds: Math.round((Date.now() - started) / 1000) });
  return ok;
}

/** Runs vitest with a JSON report beside the usual output, and adds its counts to the total. */
function vitest(name, configArgs, env = {}) {
  if (!want(name)) return;
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'um-vitest-')), 'report.json');
  runStep(
    name,
    bin('vitest'),
    ['run', ...configArgs, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`],
    env,
  );
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, 'utf8'));
    counts.passed += r.numPassedTests;
    counts.failed += r.numFailedTests;
    counts.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  } else {
    counts.failed += 1;
  }
}

const embedded = { TEST_DATABASE_URL: '', TEST_REDIS_URL: '', TEST_REQUIRE_SERVICES: '' };

runStep('lint', bin('eslint'), ['--max-warnings', '0', '.']);
runStep('format', bin('prettier'), ['--check', '--log-level', 'warn', '.']);
if (
  runStep('typecheck', bin('tsc'), ['-b', 'packages/contracts', 'packages/pve-sim', 'apps/api']) &&
  runStep('typecheck-sim-tests', bin('tsc'), ['--noEmit', '-p', 'packages/pve-sim/tsconfig.test.json'])
) {
  runStep('typecheck-web', bin('tsc'), ['--noEmit', '-p', 'apps/web']);
  runStep('typecheck-e2e', bin('tsc'), ['-p', 'e2e/tsconfig.json']);
  runStep('typecheck-bench', bin('tsc'), ['-p', 'bench']);
}
// The embedded pass has no Redis or PostgreSQL by definition: their files (*.redis.test.ts,
// *.pg.test.ts) belong to the next pass.
vitest(
  'unit+integration (PGlite)',
  ['--exclude', '**/*.redis.test.ts', '--exclude', '**/*.pg.test.ts', '--exclude', '**/node_modules/**'],
  embedded,
);
if (process.env.TEST_DATABASE_URL || process.env.TEST_REQUIRE_SERVICES) {
  vitest('integration (PostgreSQL + Redis)', [], {
    TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? '',
    TEST_REDIS_URL: process.env.TEST_REDIS_URL ?? '',
  });
} else {
  process.stdout.write(
    yellow('› integration on PostgreSQL + Redis skipped: set TEST_DATABASE_URL and TEST_REDIS_URL to run it\n'),
  );
}
if (want('web build') || want('e2e')) {
  step(bold('web build'));
  const started = Date.now();
  try {
    buildStale();
    results.push({ name: 'web build', ok: true, seconds: Math.round((Date.now() - started) / 1000) });
  } catch {
    results.push({ name: 'web build', ok: false, seconds: 0 });
  }
}
vitest('e2e (Chromium)', ['--config', 'e2e/vitest.config.ts']);

process.stdout.write(`\n${bold('Summary')}\n`);
for (const r of results) process.stdout.write(`  ${r.ok ? green('✓') : red('✗')} ${r.name} ${r.seconds}s\n`);
const failedSteps = results.filter((r) => !r.ok).length;
if (failedSteps && counts.failed === 0) counts.failed = failedSteps;
process.stdout.write(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
process.exit(failedSteps ? 1 : 0);
