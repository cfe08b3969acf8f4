import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import pg from 'pg';
import { buildApp } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import { openPglite, openPostgres, type Database } from '../db/client.js';
import type { Clock } from '../lib/clock.js';
import { createLogger } from '../lib/logger.js';
import { createServices, type Services } from '../services.js';

/**
 * Integration tests run the real app on a real database: in-memory PGlite by
 * default, a fresh PostgreSQL database per test file when TEST_DATABASE_URL is
 * set, and Redis when TEST_REDIS_URL is set. With TEST_REQUIRE_SERVICES=1 (CI)
 * a service that is missing or unreachable fails the run instead of skipping.
 */
export const env = {
  databaseUrl: process.env.TEST_DATABASE_URL || undefined,
  redisUrl: process.env.TEST_REDIS_URL || undefined,
  requireServices: process.env.TEST_REQUIRE_SERVICES === '1' || process.env.TEST_REQUIRE_SERVICES === 'true',
};

if (env.requireServices && (!env.databaseUrl || !env.redisUrl)) {
  throw new Error('TEST_REQUIRE_SERVICES is set but TEST_DATABASE_URL or TEST_REDIS_URL is missing');
}

export interface TestDatabase {
  database: Database;
  /** The PostgreSQL URL of this test's database, for child processes; null on PGlite. */
  url: string | null;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (!env.databaseUrl) {
    const database = await openPglite();
    await database.migrate();
    return { database, url: null, drop: () => database.close() };
  }
  const name = `um_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: env.databaseUrl, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(env.databaseUrl);
  url.pathname = `/${name}`;
  const database = openPostgres(url.toString(), { poolMax: 10 });
  await database.migrate();
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close();
      const c = new pg.Client({ connectionString: env.databaseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function createTestRedis(): Promise<{ redis: Redis; prefix: string } | null> {
  if (!env.redisUrl) return null;
  const redis = new Redis(env.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 5_000, lazyConnect: true });
  await redis.connect();
  return { redis, prefix: `umtest:${randomBytes(6).toString('hex')}:` };
}

/** A clock the test moves by hand. */
export function manualClock(start = new Date('2026-03-01T09:00:00.000Z')) {
  let t = start.getTime();
  const clock: Clock & { advance(ms: number): void; set(d: Date): void } = {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    set: (d) => {
      t = d.getTime();
    },
  };
  return clock;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: '/nonexistent-test-data',
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
    ENCRYPTION_KEY: 'ab'.repeat(32),
    LOG_LEVEL: 'silent',
    // The cheapest argon2id the config allows: tests check behaviour, not cost.
    PASSWORD_HASH_MEMORY_KIB: '1024',
    PASSWORD_HASH_ITERATIONS: '1',
    // Accounts start with 1,000 credits, so tests about VMs need not fund them; billing tests set 0.
    INITIAL_CREDITS: '10000000',
    ...overrides,
  });
}

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  database: Database;
  config: Config;
  close(): Promise<void>;
}

export async function buildTestApp(opts: {
  database: Database;
  redis?: { redis: Redis; prefix: string } | null;
  clock?: Clock;
  env?: Record<string, string>;
  logDestination?: { write(s: string): void };
}): Promise<TestApp> {
  const config = testConfig({
    ...(opts.redis ? { REDIS_KEY_PREFIX: opts.redis.prefix } : {}),
    ...opts.env,
  });
  const logger = createLogger({
    level: opts.logDestination ? 'trace' : config.LOG_LEVEL,
    ...(opts.logDestination ? { destination: opts.logDestination } : {}),
  });
  const infra = {
    config,
    database: opts.database,
    redis: opts.redis?.redis ?? null,
    clock: opts.clock ?? { now: () => new Date() },
    logger,
  };
  const services = createServices(infra);
  const app = await buildApp({ ...infra, services });
  await app.ready();
  return {
    app,
    services,
    database: opts.database,
    config,
    async close() {
      await app.close();
      await services.close();
    },
  };
}

let ipCounter = 0;
/** A fresh client address, so one test's rate-limit counters never touch another's. */
export function nextIp(): string {
  ipCounter++;
  return `10.${(process.pid >> 8) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

export const STRONG_PASSWORD = 'violet-Harbour-73-lantern';

export interface Client {
  ip: string;
  token: string;
  cookie: string;
  userId: string;
  email: string;
}

export function refreshCookieFrom(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'um_refresh');
  if (!c) throw new Error(`no refresh cookie in response ${res.statusCode}: ${res.body}`);
  return c.value;
}

export async function register(
  app: FastifyInstance,
  over: Partial<{ email: string; displayName: string; password: string }> = {},
): Promise<Client> {
  const ip = nextIp();
  const email = over.email ?? `user-${randomBytes(5).toString('hex')}@example.org`;
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    headers: { 'x-forwarded-for': ip },
    payload: { email, displayName: over.displayName ?? 'Test User', password: over.password ?? STRONG_PASSWORD },
  });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  const body = res.json();
  return { ip, token: body.accessToken, cookie: refreshCookieFrom(res), userId: body.user.id, email: body.user.email };
}

export async function login(
  app: FastifyInstance,
  email: string,
  password = STRONG_PASSWORD,
  ip = nextIp(),
): Promise<Client> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'x-forwarded-for': ip },
    payload: { email, password },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const body = res.json();
  return { ip, token: body.accessToken, cookie: refreshCookieFrom(res), userId: body.user.id, email: body.user.email };
}

/** An administrator created the way the CLI does it, then signed in over HTTP. */
export async function createAdmin(
  t: TestApp,
  email = `admin-${randomBytes(4).toString('hex')}@example.org`,
): Promise<Client> {
  await t.services.users.createAccount(
    { email, displayName: 'Admin', password: STRONG_PASSWORD, role: 'admin' },
    { ip: null, userAgent: 'test', requestId: null },
  );
  return login(t.app, email);
}

export const auth = (c: Pick<Client, 'token'>) => ({ authorization: `Bearer ${c.token}` });

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../main.ts');

/**
 * `uni-manager <args>` as a process of its own on a test's PostgreSQL
 * database, as an operator runs it: what crash tests kill, and what prints
 * the CLI's own output and exit code.
 */
export function spawnCli(
  args: string[],
  opts: { databaseUrl: string; env?: Record<string, string> },
): { child: ChildProcess; done: Promise<{ code: number | null; out: string }>; output: () => string } {
  const config = testConfig();
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      DATABASE_URL: opts.databaseUrl,
      JWT_SECRET: config.jwtSecret,
      ENCRYPTION_KEY: 'ab'.repeat(32),
      DATA_DIR: '/nonexistent-test-data',
      LOG_LEVEL: 'warn',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const done = new Promise<{ code: number | null; out: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, out })),
  );
  return { child, done, output: () => out };
}
