import { livenessSchema, paths, readinessSchema, type Readiness } from '@uni-manager/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { Database } from '../../db/client.js';

export interface HealthDeps {
  database: Database;
  redis: Redis | null;
  version: string;
  startedAt: number;
}

const CHECK_TIMEOUT_MS = 2_000;

async function check(fn: () => Promise<unknown>): Promise<Readiness['checks']['database']> {
  const t = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round((performance.now() - t) * 10) / 10 };
  } catch (e) {
    return { status: 'down', message: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(deps: HealthDeps) {
  return async function (app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(paths.health, {
      config: { access: 'public' },
      logLevel: 'warn',
      schema: {
        operationId: 'liveness',
        summary: 'The process is up',
        tags: ['health'],
        response: { 200: livenessSchema },
      },
      handler: async () => ({
        status: 'ok' as const,
        version: deps.version,
        uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
      }),
    });
    r.get(paths.ready, {
      config: { access: 'public' },
      logLevel: 'warn',
      schema: {
        operationId: 'readiness',
        summary: 'Database and Redis answer; 503 names what is down',
        tags: ['health'],
        response: { 200: readinessSchema, 503: readinessSchema },
      },
      handler: async (_req, reply) => {
        const [database, redis] = await Promise.all([
          check(() => deps.database.ping()),
          deps.redis ? check(() => deps.redis!.ping()) : Promise.resolve({ status: 'disabled' as const }),
        ]);
        const down = Object.entries({ database, redis })
          .filter(([, c]) => c.status === 'down')
          .map(([name]) => name);
        const body: Readiness = { status: down.length ? 'not_ready' : 'ready', checks: { database, redis }, down };
        return reply.status(down.length ? 503 : 200).send(body);
      },
    });
  };
}
