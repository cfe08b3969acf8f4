import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import type { Clock } from './lib/clock.js';
import type { Logger } from './lib/logger.js';
import { createMemoryRateLimitStore } from './lib/ratelimit/memory-store.js';
import { createRateLimiter, type RateLimitStore } from './lib/ratelimit/rate-limiter.js';
import { createRedisRateLimitStore } from './lib/ratelimit/redis-store.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { createMemoryBus, type EventBus } from './lib/bus/bus.js';
import { createPrincipalCache } from './modules/auth/principal-cache.js';
import { createLivePublisher } from './modules/live/live.publisher.js';
import { createAuthService } from './modules/auth/auth.service.js';
import { createPasswordHasher } from './modules/auth/password.js';
import { createTokenService } from './modules/auth/tokens.js';
import { createUsersService } from './modules/users/users.service.js';
import { createServersService } from './modules/servers/servers.service.js';
import { createMonitoringService } from './modules/monitoring/monitoring.service.js';
import { createReconciler } from './modules/vms/vms.reconcile.js';
import { createConsoleService } from './modules/console/console.service.js';
import { createTemplatesService } from './modules/templates/templates.service.js';
import { createSecretBox } from './lib/crypto/secret-box.js';
import { createBullmqOperationQueue, createMemoryOperationQueue, type OperationQueue } from './jobs/operation-queue.js';
import { createOperationEngine } from './modules/vms/operations/engine.js';
import { createVmsService } from './modules/vms/vms.service.js';
import { createBillingService } from './modules/billing/billing.service.js';
import { createBillingReports } from './modules/billing/billing.report.js';
import { createNotificationsService } from './modules/notifications/notifications.service.js';
import { createStripeClient } from './integrations/stripe/client.js';
import { createPaymentsService } from './modules/payments/payments.service.js';

export interface Infrastructure {
  config: Config;
  database: Database;
  redis: Redis | null;
  clock: Clock;
  logger: Logger;
  /** How operation ids reach workers; by default BullMQ when REDIS_URL is set, in-process otherwise. */
  operationQueue?: OperationQueue;
  /** How instances tell each other things (invalidations, live events); in-process by default. */
  bus?: EventBus;
}

/** Every domain service, wired from the infrastructure it is given; nothing global. */
export function createServices(infra: Infrastructure) {
  const { config: c, database, redis, clock, logger } = infra;
  const db = database.db;
  const bus = infra.bus ?? createMemoryBus();
  const principals = createPrincipalCache({ ttlMs: c.PRINCIPAL_CACHE_TTL_MS, bus });
  const live = createLivePublisher({ bus, logger: logger.child({ module: 'live' }) });
  const store: RateLimitStore = redis
    ? createRedisRateLimitStore(redis, c.REDIS_KEY_PREFIX)
    : createMemoryRateLimitStore();
  const limiter = createRateLimiter(store, { enabled: c.RATE_LIMIT_ENABLED });
  const hasher = createPasswordHasher({
    memoryKib: c.PASSWORD_HASH_MEMORY_KIB,
    iterations: c.PASSWORD_HASH_ITERATIONS,
  });
  const tokens = createTokenService({ secret: c.jwtSecret, accessTtlSeconds: c.ACCESS_TOKEN_TTL });
  const audit = createAuditService({
    db,
    clock,
    logger,
    retentionDays: c.AUDIT_RETENTION_DAYS,
    sealIntervalMs: c.AUDIT_SEAL_INTERVAL_MS,
  });
  const queue =
    infra.operationQueue ??
    (c.REDIS_URL
      ? createBullmqOperationQueue({ redisUrl: c.REDIS_URL, prefix: c.REDIS_KEY_PREFIX, logger })
      : createMemoryOperationQueue(logger));
  const billing = createBillingService({
    db,
    clock,
    logger: logger.child({ module: 'billing' }),
    queue,
    live,
    settings: {
      unitName: c.CREDIT_UNIT_NAME,
      initialCredits: c.INITIAL_CREDITS,
      cycleMinutes: c.BILLING_CYCLE_MINUTES,
      monthlyCapHours: c.MONTHLY_CAP_HOURS,
      autoShutdown: c.ENABLE_AUTO_SHUTDOWN,
      minBalanceHours: c.MIN_BALANCE_HOURS,
      lowBalanceHours: c.LOW_BALANCE_HOURS,
      allowFutureRuns: c.BILLING_ALLOW_FUTURE_RUNS,
      paymentsEnabled: c.ENABLE_PAYMENTS,
      shutdownTimeoutSeconds: c.SHUTDOWN_TIMEOUT,
    },
  });
  const billingReports = createBillingReports({ db, clock, billing });
  const notifications = createNotificationsService({ db, clock });
  const payments = createPaymentsService({
    db,
    clock,
    logger: logger.child({ module: 'payments' }),
    // The config refuses ENABLE_PAYMENTS without both secrets.
    stripe:
      c.ENABLE_PAYMENTS && c.STRIPE_SECRET_KEY && c.STRIPE_WEBHOOK_SECRET
        ? createStripeClient({
            secretKey: c.STRIPE_SECRET_KEY,
            webhookSecret: c.STRIPE_WEBHOOK_SECRET,
            apiUrl: c.STRIPE_API_URL,
            logger: logger.child({ module: 'stripe' }),
          })
        : null,
    publicUrl: c.PUBLIC_URL,
    live,
  });
  const auth = createAuthService({
    db,
    clock,
    logger,
    hasher,
    tokens,
    limiter,
    refreshTtlSeconds: c.REFRESH_TOKEN_TTL,
    allowRegistration: c.ALLOW_REGISTRATION,
    billing,
    principals,
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
  const users = createUsersService({ db, clock, hasher, billing, principals });
  const secrets = createSecretBox(c.encryptionKey, c.previousEncryptionKeys);
  const servers = createServersService({ db, clock, logger, secrets, proxmoxTimeoutMs: c.PROXMOX_TIMEOUT * 1000 });
  const monitoring = createMonitoringService({
    db,
    clock,
    logger: logger.child({ module: 'monitoring' }),
    servers,
    rawRetentionHours: c.HEALTH_RAW_RETENTION_HOURS,
    hourlyRetentionDays: c.HEALTH_HOURLY_RETENTION_DAYS,
    live,
  });
  const reconciler = createReconciler({
    db,
    clock,
    logger: logger.child({ module: 'reconcile' }),
    servers,
    sampleRetentionHours: c.VM_SAMPLE_RETENTION_HOURS,
    live,
  });
  const templates = createTemplatesService({ db, clock, logger: logger.child({ module: 'templates' }), servers });
  const consoles = createConsoleService({
    db,
    clock,
    logger: logger.child({ module: 'console' }),
    servers,
    ticketTtlSeconds: c.CONSOLE_TICKET_TTL,
    proxmoxTimeoutMs: c.PROXMOX_TIMEOUT * 1000,
  });
  const vms = createVmsService({
    db,
    clock,
    logger: logger.child({ module: 'vms' }),
    secrets,
    queue,
    templates,
    billing,
    vmLimitPerUser: c.VM_LIMIT_PER_USER,
    shutdownTimeoutSeconds: c.SHUTDOWN_TIMEOUT,
    live,
  });
  // Built in every process; only worker processes start it (serve without --no-worker, or worker).
  const operations = createOperationEngine({
    db,
    clock,
    logger: logger.child({ module: 'operations' }),
    servers,
    secrets,
    queue,
    live,
    settings: {
      leaseMs: c.OPERATION_LEASE * 1000,
      maxAttempts: c.OPERATION_MAX_ATTEMPTS,
      taskTimeoutMs: c.OPERATION_TASK_TIMEOUT * 1000,
      shutdownTimeoutSeconds: c.SHUTDOWN_TIMEOUT,
      concurrency: c.OPERATION_CONCURRENCY,
      pollMs: c.OPERATION_POLL_MS,
      retryBaseMs: c.OPERATION_RETRY_BASE_MS,
    },
  });
  return {
    bus,
    live,
    auth,
    users,
    vms,
    operations,
    audit,
    servers,
    monitoring,
    reconciler,
    templates,
    console: consoles,
    billing,
    billingReports,
    notifications,
    payments,
    limiter,
    hasher,
    async close() {
      await operations.stop();
      await audit.sealer.stop();
      await bus.close();
      await servers.closeClients();
      await store.close();
    },
  };
}
export type Services = ReturnType<typeof createServices>;
