import {
  connectionTestSchema,
  createServerBodySchema,
  healthHistorySchema,
  healthQuerySchema,
  idParamsSchema,
  paths,
  probeServerBodySchema,
  probeServerResponseSchema,
  serverListSchema,
  serverSchema,
  testConnectionBodySchema,
  testSavedServerBodySchema,
  updateServerBodySchema,
} from '@uni-manager/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ADMIN, bearer, errors } from '../../lib/openapi.js';
import { actorOf } from '../../plugins/auth.js';
import type { MonitoringService } from '../monitoring/monitoring.service.js';
import type { ServersService } from './servers.service.js';

const tags = ['admin: servers'];
const config = { access: 'admin' as const };
const tlsOf = (t: { fingerprint?: string | undefined; caPem?: string | undefined }) => ({
  fingerprint: t.fingerprint,
  ca: t.caPem,
});

export function serversRoutes(deps: { servers: ServersService; monitoring: MonitoringService }) {
  return async function (app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const { servers } = deps;

    r.get(paths.adminServers, {
      config,
      schema: {
        operationId: 'listServers',
        summary: 'Proxmox servers with their health',
        tags,
        security: bearer,
        response: { 200: serverListSchema, ...errors(...ADMIN) },
      },
      handler: async () => ({ items: await servers.list() }),
    });

    r.post(paths.adminServerProbe, {
      config,
      schema: {
        operationId: 'probeServer',
        summary: 'Read the certificate a server presents, for the admin to confirm its fingerprint',
        tags,
        security: bearer,
        body: probeServerBodySchema,
        response: { 200: probeServerResponseSchema, ...errors(...ADMIN, 'PROXMOX_CONNECTION_FAILED') },
      },
      handler: async (req) => servers.probe(req.body.url),
    });

    r.post(paths.adminServerTest, {
      config,
      schema: {
        operationId: 'testServerConnection',
        summary: 'Try connection settings before saving them: version, nodes, privileges',
        tags,
        security: bearer,
        body: testConnectionBodySchema,
        response: { 200: connectionTestSchema, ...errors(...ADMIN) },
      },
      handler: async (req) => servers.testConnection({ ...req.body, tls: tlsOf(req.body.tls) }),
    });

    r.post(paths.adminServers, {
      config,
      schema: {
        operationId: 'createServer',
        summary: 'Add a Proxmox server; its settings must pass the connection test',
        tags,
        security: bearer,
        body: createServerBodySchema,
        response: { 201: serverSchema, ...errors(...ADMIN, 'NAME_TAKEN', 'PROXMOX_CONNECTION_FAILED') },
      },
      handler: async (req, reply) => {
        const created = await servers.create(actorOf(req), { ...req.body, tls: tlsOf(req.body.tls) }, req.meta);
        // A first health check now, so the admin sees node figures and a first sample at once,
        // not after the next monitoring cycle. Its failure is the monitor's business, not this request's.
        await deps.monitoring
          .checkServer(created.id)
          .catch((e) => req.log.warn({ err: e }, 'first health check failed'));
        return reply.status(201).send(await servers.get(created.id));
      },
    });

    r.get(paths.adminServer, {
      config,
      schema: {
        operationId: 'getServer',
        summary: 'One server with its nodes',
        tags,
        security: bearer,
        params: idParamsSchema,
        response: { 200: serverSchema, ...errors(...ADMIN, 'NOT_FOUND') },
      },
      handler: async (req) => servers.get(req.params.id),
    });

    r.patch(paths.adminServer, {
      config,
      schema: {
        operationId: 'updateServer',
        summary: 'Rename, reconfigure, enable/disable or put in maintenance; new connection settings are tested first',
        tags,
        security: bearer,
        params: idParamsSchema,
        body: updateServerBodySchema,
        response: { 200: serverSchema, ...errors(...ADMIN, 'NOT_FOUND', 'NAME_TAKEN', 'PROXMOX_CONNECTION_FAILED') },
      },
      handler: async (req) => {
        const { tls, ...rest } = req.body;
        return servers.update(actorOf(req), req.params.id, { ...rest, ...(tls ? { tls: tlsOf(tls) } : {}) }, req.meta);
      },
    });

    r.delete(paths.adminServer, {
      config,
      schema: {
        operationId: 'deleteServer',
        summary: 'Remove a server',
        tags,
        security: bearer,
        params: idParamsSchema,
        response: { 204: z.null(), ...errors(...ADMIN, 'NOT_FOUND') },
      },
      handler: async (req, reply) => {
        await servers.remove(actorOf(req), req.params.id, req.meta);
        return reply.status(204).send(null);
      },
    });

    r.post(paths.adminServerTestSaved, {
      config,
      schema: {
        operationId: 'testSavedServer',
        summary:
          'Test a saved server, optionally with unsaved changes; what is left out comes from its stored settings',
        tags,
        security: bearer,
        params: idParamsSchema,
        // Fastify passes null when a POST has no body at all.
        body: testSavedServerBodySchema.nullish(),
        response: { 200: connectionTestSchema, ...errors(...ADMIN, 'NOT_FOUND', 'PROXMOX_CONNECTION_FAILED') },
      },
      handler: async (req) => {
        const { tls, ...rest } = req.body ?? {};
        return servers.testSaved(req.params.id, { ...rest, ...(tls ? { tls: tlsOf(tls) } : {}) });
      },
    });

    r.get(paths.adminServerHealth, {
      config,
      schema: {
        operationId: 'getServerHealthHistory',
        summary: 'Health samples of a server and its nodes: raw up to 24 h, hourly beyond',
        tags,
        security: bearer,
        params: idParamsSchema,
        querystring: healthQuerySchema,
        response: { 200: healthHistorySchema, ...errors(...ADMIN, 'NOT_FOUND') },
      },
      handler: async (req) => deps.monitoring.history(req.params.id, req.query.range),
    });
  };
}
