/**
 * One server of bench:api-list, in a process of its own so the load generator
 * does not share its event loop. `ours`: the real API (config, services,
 * plugins, routes) on the PostgreSQL database named by BENCH_DATABASE_URL, as
 * `serve --no-worker` would run it. `bare`: a Fastify instance with one route
 * that answers the body it is sent, serialised by Fastify.
 *
 * Talks to its parent over IPC: sends { port } once listening, answers
 * { type: 'cpu' } with its CPU time so far, closes on { type: 'close' }.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../../apps/api/src/app.js';
import { openPostgres } from '../../apps/api/src/db/client.js';
import { createLogger } from '../../apps/api/src/lib/logger.js';
import { createServices } from '../../apps/api/src/services.js';
import { benchConfig } from '../lib/config.js';
import { serverEnv } from './server-env.js';

type Message = { type: 'body'; body: unknown } | { type: 'cpu' } | { type: 'close' };

const send = (m: unknown) => process.send?.(m);

function nextMessage<T extends Message['type']>(type: T): Promise<Extract<Message, { type: T }>> {
  return new Promise((resolve) => {
    const on = (m: Message) => {
      if (m.type !== type) return;
      process.off('message', on);
      resolve(m as Extract<Message, { type: T }>);
    };
    process.on('message', on);
  });
}

async function ours(): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error('BENCH_DATABASE_URL is not set');
  const config = benchConfig(serverEnv(url));
  const database = openPostgres(url, { poolMax: config.DATABASE_POOL_MAX });
  const logger = createLogger({ level: config.LOG_LEVEL });
  const infra = { config, database, redis: null, clock: { now: () => new Date() }, logger };
  const services = createServices(infra);
  const app = await buildApp({ ...infra, services });
  return {
    app,
    async close() {
      await app.close();
      await services.close();
      await database.close();
    },
  };
}

async function bare(): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  const { body } = await nextMessage('body');
  const app = Fastify({ logger: false });
  app.get('/api/v1/vms', async () => body);
  return { app, close: () => app.close() };
}

async function main() {
  const mode = process.argv[2];
  if (mode !== 'ours' && mode !== 'bare') throw new Error('usage: server.ts ours|bare');
  const server = mode === 'ours' ? await ours() : await bare();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  send({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
  process.on('message', (m: Message) => {
    if (m.type === 'cpu') send({ type: 'cpu', usage: process.cpuUsage() });
  });
  await nextMessage('close');
  await server.close();
  process.disconnect();
}

main().catch((e) => {
  process.stderr.write(`bench server failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
