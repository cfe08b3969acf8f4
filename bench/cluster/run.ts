/**
 * bench:cluster: two API processes and two worker processes started together
 * on an empty PostgreSQL database and one Redis, behind one address; a mixed
 * load of creates, actions, lists, balances and billing cycles for a bounded
 * time; one API and one worker killed with SIGKILL half-way. Checks first
 * (exit 1 if any fails), then figures.
 *
 *   npm run bench:cluster -- [--database-url URL] [--redis-url URL] [--duration 30] [--users 8]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openPostgres } from '../../apps/api/src/db/client.js';
import { createEmptyDatabase, startCluster } from '../../apps/api/src/test/cluster.js';
import {
  CLUSTER_ENV,
  addSimulatorAndTemplate,
  checkCluster,
  newUser,
  runMixedLoad,
  signIn,
} from '../../apps/api/src/test/cluster-load.js';
import { startSimulator } from '../../packages/pve-sim/src/index.js';
import { DEFAULT_DATABASE_URL } from '../lib/database.js';
import { loadSummary, machineSummary } from '../lib/machine.js';
import { median, ms, percentile, table } from '../lib/stats.js';

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    'redis-url': { type: 'string' },
    duration: { type: 'string', default: '30' },
    users: { type: 'string', default: '8' },
  },
});
const baseUrl = values['database-url'] ?? process.env.TEST_DATABASE_URL ?? DEFAULT_DATABASE_URL;
const redisUrl = values['redis-url'] ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const durationMs = Number(values.duration) * 1000;
const USERS = Number(values.users);
const out = (s: string) => process.stdout.write(`${s}\n`);

const empty = await createEmptyDatabase(baseUrl, 'bench_cluster');
const url = new URL(empty.url);
const name = url.pathname.slice(1);

out(`bench:cluster  ${new Date().toISOString()}`);
out(`  machine   ${machineSummary()}`);
out(`  load      ${loadSummary()}`);
out(`  database  fresh, empty database ${name} beside ${new URL(baseUrl).host}; Redis ${new URL(redisUrl).host}`);
out(
  `  setup     2 API (serve --no-worker) + 2 worker processes, started at once; ${USERS} users; ${values.duration} s of load; SIGKILL of api-1 and worker-1 half-way`,
);

const sim = await startSimulator({ port: 0, nodes: 3, timeScale: 0.02, authFailureDelayMs: 0, seed: 7 });
const database = openPostgres(url.toString(), { poolMax: 4 });
const result = { failed: true };
try {
  const cluster = await startCluster({
    databaseUrl: url.toString(),
    redisUrl,
    env: {
      ...CLUSTER_ENV,
      REDIS_KEY_PREFIX: `umbench:${randomBytes(4).toString('hex')}:`,
      ADMIN_EMAIL: 'root@cluster.bench',
      ADMIN_PASSWORD: 'cluster-Admin-passphrase-42',
    },
  });
  try {
    const root = await signIn(cluster.url, 'root@cluster.bench', 'cluster-Admin-passphrase-42');
    const templateId = await addSimulatorAndTemplate(cluster.url, root, database.db, sim);
    const accounts = await Promise.all(Array.from({ length: USERS }, (_, i) => newUser(cluster.url, `bench${i}`)));
    const started = Date.now();
    let killedAt = 0;
    const stats = await runMixedLoad({
      base: cluster.url,
      admin: root,
      users: accounts,
      templateId,
      durationMs,
      midway: async () => {
        killedAt = Date.now() - started;
        await Promise.all([cluster.kill(cluster.apis[0]!), cluster.kill(cluster.workers[0]!)]);
      },
    });
    const settleStarted = Date.now();
    const checks = await checkCluster({ db: database.db, sim, cluster, accepted: stats.accepted });
    const settleMs = Date.now() - settleStarted;

    out('\nChecks');
    out(`  ok   all four processes came up on the empty database in ${ms(cluster.startupMs)}`);
    for (const l of checks.lines) out(`  ${l.ok ? 'ok  ' : 'FAIL'} ${l.text}`);
    result.failed = !checks.ok;

    out('\nFigures');
    const rows: [string, string][] = [
      [
        'requests through the one address',
        `${stats.requests} in ${values.duration} s (${(stats.requests / (durationMs / 1000)).toFixed(0)}/s)`,
      ],
      [
        'status codes',
        Object.entries(stats.statuses)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', '),
      ],
      ['accepted operations', String(stats.accepted.length)],
      ['processes killed', `api-1 and worker-1 at ${ms(killedAt)}`],
      ['settling after the load (orphaned leases re-driven)', `${ms(settleMs)}`],
    ];
    for (const [kind, k] of Object.entries(stats.byKind).sort()) {
      rows.push([`${kind} (${k.n})`, `p50 ${ms(median(k.latencies))}, p99 ${ms(percentile(k.latencies, 99))}`]);
    }
    out(table(rows));
  } finally {
    await cluster.stop();
  }
} finally {
  await database.close();
  await sim.close();
  await empty.drop();
}
out(result.failed ? '\nSOME CHECKS FAILED' : '\nall checks passed');
process.exit(result.failed ? 1 : 0);
