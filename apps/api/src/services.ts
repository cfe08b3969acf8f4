import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import type { Clock } from './lib/clock.js';
import type { Logger } from './lib/logger.js';
import { createMemoryRateLimitStore } from './lib/ratelimit/memory-store.js';
import { createRateLimiter, type RateLimitStore } from './lib/ratelimit/rate-limiter.js';
import { createRedisRateLimitStore } from './lib/ratelimit/redis-store.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { createAuthService } from './modules/auth/auth.service.js';
import { createPasswordHasher } from './modules/auth/password.js';
import { createTokenService } from './modules/auth/tokens.js';
import { createUsersService } from './modules/users/users.service.js';
import { createServersService } from './modules/servers/servers.service.js';
import { createMonitoringService } from './modules/monitoring/monitoring.service.js';
import { createSecretBox } from './lib/crypto/secret-box.js';

export interface Infrastructure {
  config: Config;
  database: Database;
  redis: Redis | null;
  clock: Clock;
  logger: Logger;
}

/** Every domain service, wired from the infrastructure it is given; nothing global. */
export function createServices(infra: Infrastructure) {
  const { config: c, database, redis, clock, logger } = infra;
  const db = database.db;
  const store: RateLimitStore = redis
    ? createRedisRateLimitStore(redis, c.REDIS_KEY_PREFIX)
    : createMemoryRateLimitStore();
  const limiter = createRateLimiter(store, { enabled: c.RATE_LIMIT_ENABLED });
  const hasher = createPasswordHasher({
    memoryKib: c.PASSWORD_HASH_MEMORY_KIB,
    iterations: c.PASSWORD_HASH_ITERATIONS,
  });
  const tokens = createTokenService({ secret: c.jwtSecret, accessTtlSeconds: c.ACCESS_TOKEN_TTL });
  const audit = createAuditService({ db, clock, logger, retentionDays: c.AUDIT_RETENTION_DAYS });
  const auth = createAuthService({
    db,
    clock,
    logger,
    hasher,
    tokens,
    limiter,
    refreshTtlSeconds: c.REFRESH_TOKEN_TTL,
    allowRegistration: c.ALLOW_REGISTRATION,
    rules: {
      login: { name: 'login', max: c.RATE_LIMIT_LOGIN_MAX, windowSeconds: c.RATE_LIMIT_LOGIN_WINDOW },
      loginIp: { name: 'login-ip', max: c.RATE_LIMIT_LOGIN_IP_MAX, windowSeconds: c.RATE_LIMIT_LOGIN_WINDOW },
      register: { name: 'register', max: c.RATE_LIMIT_REGISTER_MAX, windowSeconds: c.RATE_LIMIT_REGISTER_WINDOW },
      refresh: { name: 'refresh', max: c.RATE_LIMIT_REFRESH_MAX, windowSeconds: c.RATE_LIMIT_REFRESH_WINDOW },
      passwordChange: {
        name: 'password-change',
        max: c.RATE_LIMIT_LOGIN_MAX,
        windowSeconds: c.RATE_LIMIT_LOGIN_WINDOW,
      },
    },
  });
  const users = createUsersService({ db, clock, hasher });
  const secrets = createSecretBox(c.encryptionKey, c.previousEncryptionKeys);
  const servers = createServersService({ db, clock, logger, secrets, proxmoxTimeoutMs: c.PROXMOX_TIMEOUT * 1000 });
  const monitoring = createMonitoringService({
    db,
    clock,
    logger: logger.child({ module: 'monitoring' }),
    servers,
    rawRetentionHours: c.HEALTH_RAW_RETENTION_HOURS,
    hourlyRetentionDays: c.HEALTH_HOURLY_RETENTION_DAYS,
  });
  return { auth, users, audit, servers, monitoring, limiter, hasher, close: () => store.close() };
}
export type Services = ReturnType<typeof createServices>;
