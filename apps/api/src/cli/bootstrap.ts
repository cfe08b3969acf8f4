import { randomBytes } from 'node:crypto';
import { type Config, loadConfig } from '../config.js';
import { openDatabase, STARTUP_LOCK, type Database } from '../db/client.js';
import { systemClock } from '../lib/clock.js';
import { createLogger, type Logger } from '../lib/logger.js';
import { connectRedis } from '../lib/redis.js';
import { createRedisBus, type EventBus } from '../lib/bus/bus.js';
import { createServices, type Infrastructure, type Services } from '../services.js';
import { countActiveAdmins } from '../modules/auth/auth.repo.js';
import type { Redis } from 'ioredis';

export interface Runtime extends Infrastructure {
  services: Services;
  close(): Promise<void>;
}

/** Config, logger, migrated database, Redis when configured, and the services on top. */
export async function openRuntime(opts: { migrate?: boolean; logLevel?: string } = {}): Promise<Runtime> {
  const config: Config = loadConfig();
  const logger: Logger = createLogger({ level: opts.logLevel ?? config.LOG_LEVEL });
  const database: Database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.dataDir,
    poolMax: config.DATABASE_POOL_MAX,
  });
  try {
    if (opts.migrate !== false) await database.migrate();
  } catch (e) {
    await database.close().catch(() => {});
    throw new Error(`database migration failed: ${(e as Error).message}`, { cause: e });
  }
  let redis: Redis | null = null;
  if (config.REDIS_URL) {
    try {
      redis = await connectRedis(config.REDIS_URL);
    } catch (e) {
      await database.close().catch(() => {});
      throw new Error(`cannot connect to REDIS_URL: ${(e as Error).message}`, { cause: e });
    }
  }
  let bus: EventBus | undefined;
  if (redis) {
    try {
      bus = await createRedisBus({ redis, prefix: config.REDIS_KEY_PREFIX, logger: logger.child({ module: 'bus' }) });
    } catch (e) {
      redis.disconnect();
      await database.close().catch(() => {});
      throw new Error(`cannot subscribe to REDIS_URL: ${(e as Error).message}`, { cause: e });
    }
  }
  const infra: Infrastructure = { config, database, redis, clock: systemClock, logger, ...(bus ? { bus } : {}) };
  const services = createServices(infra);
  return {
    ...infra,
    services,
    async close() {
      await services.close();
      if (redis) redis.disconnect();
      await database.close();
    },
  };
}

/** A strong password a person can still copy: 4 groups of 5 from an unambiguous alphabet. */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(20);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

/**
 * On the very first start there is no administrator: create one, from
 * ADMIN_EMAIL/ADMIN_PASSWORD or with a generated password printed once.
 */
export async function ensureFirstAdmin(rt: Runtime): Promise<void> {
  // Instances started together queue here: the first creates the account, the others then see it.
  await rt.database.withLock(STARTUP_LOCK, () => createFirstAdminIfNone(rt));
}

async function createFirstAdminIfNone(rt: Runtime): Promise<void> {
  if ((await countActiveAdmins(rt.database.db)) > 0) return;
  const email = (rt.config.ADMIN_EMAIL ?? 'admin@uni-manager.local').toLowerCase();
  const password = rt.config.ADMIN_PASSWORD ?? generatePassword();
  await rt.services.users.createAccount(
    { email, displayName: 'Administrator', password, role: 'admin' },
    { ip: null, userAgent: 'uni-manager serve (first start)', requestId: null },
  );
  const shown = rt.config.ADMIN_PASSWORD ? '(the value of ADMIN_PASSWORD)' : password;
  const lines = [
    'First start: an administrator account was created.',
    `  email:    ${email}`,
    `  password: ${shown}`,
    'This password is shown only once. Sign in and change it under Account.',
  ];
  const width = Math.max(...lines.map((l) => l.length)) + 2;
  process.stdout.write(
    `\n+${'-'.repeat(width)}+\n${lines.map((l) => `| ${l.padEnd(width - 1)}|`).join('\n')}\n+${'-'.repeat(width)}+\n\n`,
  );
}
