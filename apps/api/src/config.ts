import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { generateKey, parseKey } from './lib/crypto/secret-box.js';

/**
 * Every environment variable the product reads, parsed once at start-up.
 * `.env.example` documents the same list; keep the two in step.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** "30m", "7d", "45s" or a plain number of seconds. */
export function parseDuration(value: string): number {
  const m = /^(\d+)\s*(s|m|h|d)?$/.exec(value.trim());
  if (!m) throw new Error(`not a duration: "${value}" (use e.g. 45s, 30m, 12h, 7d)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return n * { s: 1, m: 60, h: 3600, d: 86400 }[unit as 's' | 'm' | 'h' | 'd'];
}
const duration = (min: number, max: number) =>
  z
    .string()
    .transform((v, ctx) => {
      try {
        return parseDuration(v);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
        return z.NEVER;
      }
    })
    .pipe(z.number().int().min(min).max(max));

const port = z.coerce.number().int().min(1).max(65535);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(8000),
  WEB_PORT: port.default(3000),
  PUBLIC_URL: z.url().default('http://localhost:3000'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(20),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  REDIS_KEY_PREFIX: z.string().max(64).default('um:'),
  JWT_SECRET: z.string().optional(),
  ENCRYPTION_KEY: z.string().optional(),
  ENCRYPTION_KEYS_PREVIOUS: z.string().optional(),
  ACCESS_TOKEN_TTL: duration(60, 86400).default(30 * 60),
  REFRESH_TOKEN_TTL: duration(3600, 90 * 86400).default(7 * 86400),
  COOKIE_SECURE: bool.optional(),
  CORS_ORIGINS: z.string().optional(),
  TRUST_PROXY: z.string().default('loopback'),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(256 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ALLOW_REGISTRATION: bool.default(true),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().optional(),
  PASSWORD_HASH_MEMORY_KIB: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024)
    .default(19456),
  PASSWORD_HASH_ITERATIONS: z.coerce.number().int().min(1).max(20).default(2),
  RATE_LIMIT_ENABLED: bool.default(true),
  RATE_LIMIT_LOGIN_MAX: z.coerce.number().int().min(1).default(5),
  RATE_LIMIT_LOGIN_IP_MAX: z.coerce.number().int().min(1).default(50),
  RATE_LIMIT_LOGIN_WINDOW: duration(1, 86400).default(300),
  RATE_LIMIT_REGISTER_MAX: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_REGISTER_WINDOW: duration(1, 86400).default(3600),
  RATE_LIMIT_REFRESH_MAX: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_REFRESH_WINDOW: duration(1, 86400).default(60),
  PROXMOX_TIMEOUT: duration(1, 300).default(10),
  MONITOR_INTERVAL: duration(10, 3600).default(60),
  HEALTH_RAW_RETENTION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(48),
  HEALTH_HOURLY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  VM_LIMIT_PER_USER: z.coerce.number().int().min(0).max(10_000).default(5),
  RECONCILE_INTERVAL: duration(5, 3600).default(30),
  VM_SAMPLE_RETENTION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(48),
  SHUTDOWN_TIMEOUT: duration(10, 3600).default(120),
  OPERATION_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  OPERATION_LEASE: duration(10, 3600).default(60),
  OPERATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
  OPERATION_SWEEP_INTERVAL: duration(5, 3600).default(15),
  OPERATION_TASK_TIMEOUT: duration(30, 86400).default(3600),
  /** Milliseconds between polls of a Proxmox task's status. */
  OPERATION_POLL_MS: z.coerce.number().int().min(50).max(10_000).default(1000),
  /** Milliseconds before the first retry of a transient failure; doubles per attempt up to a minute. */
  OPERATION_RETRY_BASE_MS: z.coerce.number().int().min(10).max(60_000).default(2000),
  CONSOLE_TICKET_TTL: duration(5, 30).default(30),
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).default(365),
  AUDIT_RETENTION_INTERVAL: duration(60, 7 * 86400).default(86400),
  /**
   * Milliseconds a signed-in principal (session and account state) is reused
   * without reading the database. Changes to it invalidate it at once, on every
   * instance; 0 turns the cache off.
   */
  PRINCIPAL_CACHE_TTL_MS: z.coerce.number().int().min(0).max(10_000).default(3000),
  /** Milliseconds between the audit sealer's passes when idle: about how long a new entry stays unlinked. */
  AUDIT_SEAL_INTERVAL_MS: z.coerce.number().int().min(20).max(10_000).default(250),
  CREDIT_UNIT_NAME: z.string().trim().min(1).max(40).default('credits'),
  /** Credits, in minor units, every new account receives. */
  INITIAL_CREDITS: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  BILLING_CYCLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  MONTHLY_CAP_HOURS: z.coerce.number().int().min(0).max(744).default(672),
  ENABLE_AUTO_SHUTDOWN: bool.default(true),
  MIN_BALANCE_HOURS: z.coerce.number().min(0).max(8760).default(1),
  LOW_BALANCE_HOURS: z.coerce.number().min(0).max(8760).default(24),
  /** Lets `billing run --at` and the admin API charge up to an instant in the future: demos and tests only. */
  BILLING_ALLOW_FUTURE_RUNS: bool.default(false),
  ENABLE_PAYMENTS: bool.default(false),
  STRIPE_SECRET_KEY: z.string().trim().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().trim().min(1).optional(),
  /** Where the Stripe client sends requests; only tests and stripe-mock change it. */
  STRIPE_API_URL: z.url().optional(),
});

/** Every variable the schema reads; a test holds .env.example to this list. */
export const CONFIG_KEYS = Object.keys(schema.shape);

/** Variables that hold secrets: each may instead be read from the file named by `<NAME>_FILE`. */
const SECRET_VARS = [
  'JWT_SECRET',
  'ENCRYPTION_KEY',
  'ENCRYPTION_KEYS_PREVIOUS',
  'ADMIN_PASSWORD',
  'DATABASE_URL',
  'REDIS_URL',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
] as const;

/** Values from .env.example and the docs: a production deployment must never run with them. */
const PLACEHOLDER = /change[-_ ]?me|changeme|example|placeholder|secret123|^x+$/i;
const JWT_SECRET_MIN = 32;

export type Config = z.infer<typeof schema> & {
  jwtSecret: string;
  encryptionKey: string;
  previousEncryptionKeys: string[];
  dataDir: string;
  corsOrigins: string[];
  cookieSecure: boolean;
  isProduction: boolean;
};

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

function resolveFileVariants(env: NodeJS.ProcessEnv, problems: string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  for (const name of SECRET_VARS) {
    const file = env[`${name}_FILE`];
    if (!file) continue;
    if (env[name]) {
      problems.push(`${name} and ${name}_FILE are both set; set only one`);
      continue;
    }
    try {
      out[name] = readFileSync(file, 'utf8').trim();
    } catch (e) {
      problems.push(`${name}_FILE: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  // An empty variable means "unset": docker-compose and systemd often pass VAR= through.
  for (const [k, v] of Object.entries(out)) if (v === '') delete out[k];
  return out;
}

/**
 * Outside production a missing secret is generated once and kept in the data
 * directory, so `npm start` needs no set-up and survives restarts.
 */
function developmentSecret(dataDir: string, name: string, make: () => string): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = make();
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const raw = resolveFileVariants(env, problems);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
  }
  if (problems.length || !parsed.success) throw new ConfigError(problems);
  const c = parsed.data;
  const isProduction = c.NODE_ENV === 'production';
  const dataDir = path.resolve(c.DATA_DIR);

  if (isProduction) {
    // The embedded database is one process's file: no second instance, no
    // pg_dump, no point-in-time recovery. Fine for trying, not for running.
    if (!c.DATABASE_URL) problems.push('DATABASE_URL is required in production (PostgreSQL 15+); or DATABASE_URL_FILE');
    if (!c.JWT_SECRET) problems.push('JWT_SECRET is required in production (or JWT_SECRET_FILE)');
    else if (c.JWT_SECRET.length < JWT_SECRET_MIN)
      problems.push(`JWT_SECRET is too short: at least ${JWT_SECRET_MIN} characters`);
    else if (PLACEHOLDER.test(c.JWT_SECRET)) problems.push('JWT_SECRET still holds the example value; generate one');
    if (!c.ENCRYPTION_KEY)
      problems.push(
        'ENCRYPTION_KEY is required in production (32 random bytes, base64 or hex); or ENCRYPTION_KEY_FILE',
      );
    if (c.ADMIN_PASSWORD && PLACEHOLDER.test(c.ADMIN_PASSWORD))
      problems.push('ADMIN_PASSWORD still holds the example value');
    if (c.DATABASE_URL && /:\/\/[^:/]+:(change[-_]?me|password|postgres)@/i.test(c.DATABASE_URL))
      problems.push('DATABASE_URL uses a default password');
    if (c.COOKIE_SECURE === false && c.PUBLIC_URL.startsWith('https:'))
      problems.push('COOKIE_SECURE=false with an https PUBLIC_URL would send refresh tokens in clear');
  } else if (c.JWT_SECRET && c.JWT_SECRET.length < JWT_SECRET_MIN) {
    problems.push(`JWT_SECRET is too short: at least ${JWT_SECRET_MIN} characters`);
  }
  if (c.ADMIN_PASSWORD && c.ADMIN_PASSWORD.length < 12) problems.push('ADMIN_PASSWORD: at least 12 characters');
  if (c.ENABLE_PAYMENTS && (!c.STRIPE_SECRET_KEY || !c.STRIPE_WEBHOOK_SECRET))
    problems.push('ENABLE_PAYMENTS=true needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET');
  if (isProduction && c.BILLING_ALLOW_FUTURE_RUNS)
    problems.push(
      'BILLING_ALLOW_FUTURE_RUNS would let a billing run charge for time not yet used; never in production',
    );
  const previousEncryptionKeys = (c.ENCRYPTION_KEYS_PREVIOUS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  for (const [name, value] of [
    ['ENCRYPTION_KEY', c.ENCRYPTION_KEY],
    ...previousEncryptionKeys.map((k, i) => [`ENCRYPTION_KEYS_PREVIOUS[${i}]`, k] as const),
  ] as const) {
    if (!value) continue;
    try {
      parseKey(value);
    } catch (e) {
      problems.push(`${name}: ${(e as Error).message}`);
    }
  }
  if (problems.length) throw new ConfigError(problems);

  const corsOrigins = (c.CORS_ORIGINS ?? new URL(c.PUBLIC_URL).origin)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

  return {
    ...c,
    isProduction,
    dataDir,
    jwtSecret: c.JWT_SECRET ?? developmentSecret(dataDir, 'jwt-secret', () => randomBytes(48).toString('base64url')),
    encryptionKey: c.ENCRYPTION_KEY ?? developmentSecret(dataDir, 'encryption-key', generateKey),
    previousEncryptionKeys,
    corsOrigins,
    cookieSecure: c.COOKIE_SECURE ?? isProduction,
  };
}
