#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { createServerBodySchema, emailSchema, displayNameSchema, MINOR_UNITS_PER_CREDIT } from '@uni-manager/contracts';
import { buildApp } from './app.js';
import { ask } from './cli/prompt.js';
import { ensureFirstAdmin, generatePassword, openRuntime, type Runtime } from './cli/bootstrap.js';
import { STARTUP_LOCK } from './db/client.js';
import { ConfigError } from './config.js';
import { startBullmqTrigger } from './jobs/bullmq-trigger.js';
import { createScheduler, periodOf, type PeriodicJob } from './jobs/scheduler.js';
import { AppError } from './lib/errors.js';
import { VERSION } from './lib/version.js';
import { addDemoTemplates } from './modules/templates/templates.demo.js';

const HELP = `uni-manager ${VERSION}

Usage: uni-manager <command> [options]

Commands:
  serve [--no-worker]     Run the API (and, unless --no-worker, the worker's work too)
  worker                  Run VM operations and the periodic jobs (monitor, reconciliation, retention)
  migrate                 Apply database migrations and exit
  create-admin            Create an administrator
      --email <email> --name <display name> [--password <pw> | --generate-password]
      (asks for what is missing when run in a terminal)
  create-user             Create a user account, with the same options
                          (the way in when ALLOW_REGISTRATION=false)
  seed-db [--force]       Add demo users (refused in production unless --force)
  servers add             Add a Proxmox server (its settings must pass the connection test)
      --name <name> --url <https://host:8006> --token-id <user@realm!id>
      --token-secret-file <file> (or UM_TOKEN_SECRET) --fingerprint <sha256> | --ca-file <pem>
      [--if-absent]  do nothing when a server with this URL exists
  servers list            Servers and their health
  templates add-demo      Add demo templates (Debian, Ubuntu, AlmaLinux) cloned from a server's
      [--server-name <name>]  own template VMs; does nothing once any template exists
  keys rotate             Re-encrypt stored secrets with the current ENCRYPTION_KEY
  audit verify            Recompute the audit log's hash chain; exit 1 if it was tampered with
                          (also reports entries not yet linked, and warns if the sealer is behind)
  audit seal              Link every entry written so far into the chain now
  audit purge             Apply the audit retention period now
  billing run [--at <ISO time>]
                          Charge every VM's usage up to now (or up to --at) and check balances;
                          a second run for the same instant charges nothing
  billing verify          Check the ledger: account totals, balances summing to zero, no time
                          charged twice; exit 1 naming the first violation
  help                    This text

Configuration comes from the environment; see .env.example.`;

async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>, opts?: { logLevel?: string }): Promise<T> {
  const rt = await openRuntime(opts);
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

function periodicJobs(rt: Runtime): PeriodicJob[] {
  return [
    {
      name: 'server-monitor',
      intervalSeconds: rt.config.MONITOR_INTERVAL,
      run: () => rt.services.monitoring.runCycle(),
    },
    { name: 'health-retention', intervalSeconds: 3600, run: () => rt.services.monitoring.retention() },
    {
      name: 'vm-reconcile',
      intervalSeconds: rt.config.RECONCILE_INTERVAL,
      run: async () => ({ ...(await rt.services.reconciler.runCycle()) }),
    },
    { name: 'vm-sample-retention', intervalSeconds: 3600, run: () => rt.services.reconciler.retention() },
    {
      name: 'vm-operation-sweep',
      intervalSeconds: rt.config.OPERATION_SWEEP_INTERVAL,
      run: () => rt.services.operations.sweep(),
    },
    {
      name: 'billing-cycle',
      intervalSeconds: rt.config.BILLING_CYCLE_MINUTES * 60,
      // Up to the period's boundary, so each charge covers a whole cycle (13:00–14:00, say).
      run: async () => ({
        ...(await rt.services.billing.runCycle({
          at: periodOf(rt.clock.now(), rt.config.BILLING_CYCLE_MINUTES * 60),
          trigger: 'schedule',
        })),
      }),
    },
    {
      name: 'billing-watch',
      intervalSeconds: rt.config.RECONCILE_INTERVAL,
      run: () => rt.services.billing.watch(),
    },
    {
      name: 'audit-retention',
      intervalSeconds: rt.config.AUDIT_RETENTION_INTERVAL,
      run: async () => ({ deleted: (await rt.services.audit.purgeExpired()).deleted }),
    },
  ];
}

/**
 * The periodic jobs of this process: triggered by BullMQ when Redis is
 * configured, by an in-process timer otherwise; claimed per period in the
 * database either way, so they run once however many processes start them.
 */
async function startJobs(rt: Runtime): Promise<{ stop(): Promise<void> }> {
  const jobs = periodicJobs(rt);
  const scheduler = createScheduler({
    db: rt.database.db,
    clock: rt.clock,
    logger: rt.logger.child({ module: 'jobs' }),
    // Claims are per (job, period): a tick slower than half the shortest interval could miss periods.
    tickMs: Math.min(15_000, Math.max(1_000, (Math.min(...jobs.map((j) => j.intervalSeconds)) * 1000) / 2)),
  });
  jobs.push({ name: 'job-history-pruning', intervalSeconds: 86_400, run: () => scheduler.pruneHistory() });
  for (const j of jobs) scheduler.add(j);
  // VM operations: consumed from the queue, and whatever a dead worker left is re-driven at once.
  await rt.services.operations.start();
  if (rt.config.REDIS_URL) {
    const trigger = await startBullmqTrigger({
      redisUrl: rt.config.REDIS_URL,
      prefix: rt.config.REDIS_KEY_PREFIX,
      jobs,
      scheduler,
      logger: rt.logger.child({ module: 'jobs' }),
    });
    return {
      async stop() {
        await rt.services.operations.stop();
        await trigger.close();
        await scheduler.stop();
      },
    };
  }
  scheduler.start();
  return {
    async stop() {
      await rt.services.operations.stop();
      await scheduler.stop();
    },
  };
}

/** SIGINT/SIGTERM: stop taking work, finish what is in flight, close, exit. */
function onShutdown(rt: Runtime, stop: () => Promise<void>) {
  let closing = false;
  const handler = (signal: string) => {
    if (closing) return;
    closing = true;
    rt.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    stop()
      .then(() => rt.close())
      .then(() => process.exit(0))
      .catch((e) => {
        rt.logger.error({ err: e }, 'error during shutdown');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => handler('SIGINT'));
  process.on('SIGTERM', () => handler('SIGTERM'));
}

async function serve(withWorker: boolean) {
  const rt = await openRuntime();
  await ensureFirstAdmin(rt);
  const app = await buildApp(rt);
  let jobs: { stop(): Promise<void> } | null = null;
  onShutdown(rt, async () => {
    await app.close();
    await jobs?.stop();
  });
  await app.listen({ host: rt.config.HOST, port: rt.config.PORT });
  // Every instance offers to seal; the database lets one at a time do it.
  rt.services.audit.sealer.start();
  if (withWorker) jobs = await startJobs(rt);
  rt.logger.info(
    { database: rt.database.kind, redis: rt.redis ? 'on' : 'off', worker: withWorker, version: VERSION },
    `API listening on http://${rt.config.HOST}:${rt.config.PORT}/api/v1 (docs at /api/v1/docs)`,
  );
}

async function worker() {
  const rt = await openRuntime();
  const jobs = await startJobs(rt);
  rt.services.audit.sealer.start();
  onShutdown(rt, () => jobs.stop());
  rt.logger.info({ database: rt.database.kind }, 'worker started');
}

async function createAccount(role: 'admin' | 'user', args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      'generate-password': { type: 'boolean' },
    },
  });
  const interactive = process.stdin.isTTY;
  const email = values.email ?? (interactive ? await ask('Email: ') : undefined);
  const name =
    values.name ??
    (interactive ? await ask('Display name: ') : role === 'admin' ? 'Administrator' : email?.split('@')[0]);
  let password = values.password ?? (values['generate-password'] ? generatePassword() : undefined);
  if (!password && interactive) password = await ask('Password (at least 12 characters): ', { hidden: true });
  if (!email || !password)
    throw new Error(`create-${role} needs --email and --password (or --generate-password) when not run in a terminal`);
  const parsedEmail = emailSchema.safeParse(email);
  if (!parsedEmail.success) throw new Error(`invalid email: ${email}`);
  const parsedName = displayNameSchema.safeParse(name);
  if (!parsedName.success) throw new Error('invalid display name');
  if (password.length < 12) throw new Error('the password needs at least 12 characters');
  await withRuntime(
    async (rt) => {
      await rt.services.users.createAccount(
        { email: parsedEmail.data, displayName: parsedName.data, password, role },
        { ip: null, userAgent: `uni-manager create-${role}`, requestId: null },
      );
      process.stdout.write(`${role === 'admin' ? 'Administrator' : 'User'} ${parsedEmail.data} created.\n`);
      if (values['generate-password']) process.stdout.write(`Password (shown once): ${password}\n`);
    },
    { logLevel: 'warn' },
  );
}

const DEMO_USERS = [
  { email: 'alice@demo.uni-manager.local', displayName: 'Alice Martin' },
  { email: 'bruno@demo.uni-manager.local', displayName: 'Bruno Lefèvre' },
  { email: 'chloe@demo.uni-manager.local', displayName: 'Chloé Dubois' },
  { email: 'david@demo.uni-manager.local', displayName: 'David Bernard' },
];

async function seedDb(args: string[]) {
  const { values } = parseArgs({ args, options: { force: { type: 'boolean' } } });
  await withRuntime(
    async (rt) => {
      if (rt.config.isProduction && !values.force)
        throw new Error('seed-db adds demo accounts; refusing in production without --force');
      const password = generatePassword();
      let created = 0;
      for (const u of DEMO_USERS) {
        try {
          await rt.services.auth.register(
            { ...u, password },
            { ip: '127.0.0.1', userAgent: 'uni-manager seed-db', requestId: null },
          );
          created++;
        } catch (e) {
          if (!(e instanceof AppError && e.code === 'EMAIL_TAKEN')) throw e;
        }
      }
      process.stdout.write(
        `${created} demo user(s) created${created ? `, all with the password ${password}` : ' (they already existed)'}.\n`,
      );
      for (const u of DEMO_USERS) process.stdout.write(`  ${u.email}\n`);
    },
    { logLevel: 'warn' },
  );
}

async function serversCommand(args: string[]) {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    return withRuntime(
      async (rt) => {
        for (const s of await rt.services.servers.list())
          process.stdout.write(
            `${s.health.padEnd(9)} ${s.name}  ${s.url}  ${s.nodes.length} node(s)${s.maintenance ? '  [maintenance]' : ''}${s.enabled ? '' : '  [disabled]'}\n`,
          );
      },
      { logLevel: 'warn' },
    );
  }
  if (sub !== 'add') throw new Error('usage: uni-manager servers add|list');
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      url: { type: 'string' },
      'token-id': { type: 'string' },
      'token-secret-file': { type: 'string' },
      fingerprint: { type: 'string' },
      'ca-file': { type: 'string' },
      'if-absent': { type: 'boolean' },
    },
  });
  // The secret never goes on the command line, where `ps` would show it.
  const secret = values['token-secret-file']
    ? readFileSync(values['token-secret-file'], 'utf8').trim()
    : process.env.UM_TOKEN_SECRET;
  const body = createServerBodySchema.safeParse({
    name: values.name,
    url: values.url,
    tokenId: values['token-id'],
    tokenSecret: secret,
    tls: {
      ...(values.fingerprint ? { fingerprint: values.fingerprint } : {}),
      ...(values['ca-file'] ? { caPem: readFileSync(values['ca-file'], 'utf8') } : {}),
    },
  });
  if (!body.success)
    throw new Error(body.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; '));
  await withRuntime(
    (rt) =>
      // --if-absent is how start-up scripts register a server: two of them at once must add it once.
      rt.database.withLock(STARTUP_LOCK, async () => {
        const existing = (await rt.services.servers.list()).find((s) => s.url === body.data.url);
        if (existing && values['if-absent']) {
          process.stdout.write(`server ${existing.name} (${existing.url}) already registered\n`);
          return;
        }
        const s = await rt.services.servers.create(
          null,
          { ...body.data, tls: { fingerprint: body.data.tls.fingerprint, ca: body.data.tls.caPem } },
          { ip: null, userAgent: 'uni-manager servers add', requestId: null },
        );
        process.stdout.write(`server ${s.name} added: ${s.url}, ${s.nodes.length} node(s), ${s.pveVersion}\n`);
      }),
    { logLevel: 'warn' },
  );
}

async function templatesCommand(args: string[]) {
  const [sub, ...rest] = args;
  if (sub !== 'add-demo') throw new Error('usage: uni-manager templates add-demo [--server-name <name>]');
  const { values } = parseArgs({ args: rest, options: { 'server-name': { type: 'string' } } });
  await withRuntime(
    async (rt) => {
      const r = await rt.database.withLock(STARTUP_LOCK, () =>
        addDemoTemplates(rt.services, values['server-name'], {
          ip: null,
          userAgent: 'uni-manager templates add-demo',
          requestId: null,
        }),
      );
      if (r.created.length) process.stdout.write(`demo templates added: ${r.created.join(', ')}\n`);
      for (const note of r.notes) process.stdout.write(`${note}\n`);
    },
    { logLevel: 'warn' },
  );
}

async function audit(args: string[]) {
  const sub = args[0];
  await withRuntime(
    async (rt) => {
      if (sub === 'verify') {
        const r = await rt.services.audit.verify();
        if (r.ok) {
          process.stdout.write(`audit log intact: ${r.checked} entries verified; head ${r.headHash ?? '(empty)'}\n`);
          if (r.unsealed > 0) {
            const age = r.oldestUnsealedAt ? (Date.now() - r.oldestUnsealedAt.getTime()) / 1000 : 0;
            process.stdout.write(
              `${r.unsealed} newer entries are not yet linked into the chain (oldest ${age.toFixed(1)} s ago)` +
                (age > 60
                  ? ': the sealer is behind or no API or worker process is running; `uni-manager audit seal` links them now\n'
                  : '; the sealer links them within seconds\n'),
            );
          }
        } else {
          process.stdout.write(
            `AUDIT LOG TAMPERED: entry #${r.firstBadId}: ${r.reason} (${r.checked} entries verified before it)\n`,
          );
          process.exitCode = 1;
        }
      } else if (sub === 'seal') {
        const n = await rt.services.audit.seal();
        process.stdout.write(`${n} entries linked into the chain\n`);
      } else if (sub === 'purge') {
        const r = await rt.services.audit.purgeExpired();
        process.stdout.write(`${r.deleted} entries older than ${r.cutoff.toISOString()} purged\n`);
      } else {
        throw new Error('usage: uni-manager audit verify|seal|purge');
      }
    },
    { logLevel: 'warn' },
  );
}

async function billing(args: string[]) {
  const sub = args[0];
  const { values } = parseArgs({ args: args.slice(1), options: { at: { type: 'string' } }, strict: true });
  await withRuntime(
    async (rt) => {
      if (sub === 'run') {
        let at: Date | undefined;
        if (values.at !== undefined) {
          at = new Date(values.at);
          if (Number.isNaN(at.getTime())) throw new Error(`--at: not a time: "${values.at}" (use ISO 8601)`);
        }
        const run = await rt.services.billing.runCycle({ at, trigger: 'manual' });
        const credits = (run.amount / MINOR_UNITS_PER_CREDIT).toFixed(4);
        process.stdout.write(
          `billing run up to ${run.periodEnd}: ${run.vms} VM(s) metered, ${run.transfers} charge(s), ${credits} ${rt.config.CREDIT_UNIT_NAME} in ${run.durationMs} ms\n`,
        );
        const w = await rt.services.billing.watch();
        if (w.exhausted || w.low)
          process.stdout.write(
            `balances: ${w.exhausted} exhausted (${w.shutdowns} VM shutdown(s) requested), ${w.low} low\n`,
          );
      } else if (sub === 'verify') {
        const r = await rt.services.billing.verify();
        if (r.ok) {
          process.stdout.write(`ledger consistent: ${r.accounts} accounts, ${r.transfers} transfers\n`);
        } else {
          process.stdout.write(`LEDGER INCONSISTENT: ${r.violation}\n`);
          process.exitCode = 1;
        }
      } else {
        throw new Error('usage: uni-manager billing run [--at <ISO time>] | billing verify');
      }
    },
    { logLevel: 'warn' },
  );
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(!rest.includes('--no-worker'));
    case 'worker':
      return worker();
    case 'migrate':
      return withRuntime(
        async (rt) => {
          process.stdout.write(`migrations applied (${rt.database.kind})\n`);
        },
        { logLevel: 'warn' },
      );
    case 'create-admin':
      return createAccount('admin', rest);
    case 'create-user':
      return createAccount('user', rest);
    case 'seed-db':
      return seedDb(rest);
    case 'audit':
      return audit(rest);
    case 'billing':
      return billing(rest);
    case 'servers':
      return serversCommand(rest);
    case 'templates':
      return templatesCommand(rest);
    case 'keys':
      if (rest[0] !== 'rotate') throw new Error('usage: uni-manager keys rotate');
      return withRuntime(
        async (rt) => {
          const r = await rt.services.servers.rotateKeys({
            ip: null,
            userAgent: 'uni-manager keys rotate',
            requestId: null,
          });
          process.stdout.write(`${r.rotated} of ${r.total} stored secret(s) re-encrypted with the current key\n`);
        },
        { logLevel: 'warn' },
      );
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP + '\n');
      return;
    case '--version':
      process.stdout.write(VERSION + '\n');
      return;
    default:
      process.stderr.write(`unknown command "${command}"\n\n${HELP}\n`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof ConfigError) process.stderr.write(`${e.message}\n`);
  else if (e instanceof AppError) process.stderr.write(`error: ${e.message}\n`);
  else process.stderr.write(`error: ${(e as Error).message}\n`);
  process.exit(1);
});
