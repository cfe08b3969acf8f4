import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import { API_PREFIX } from '@uni-manager/contracts';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, validatorCompiler } from 'fastify-type-provider-zod';
import { createResponseSerializerCompiler } from './lib/serializer.js';
import { VERSION } from './lib/version.js';
import { registerAuth } from './plugins/auth.js';
import { frameworkErrors, registerErrorHandler } from './plugins/error-handler.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { serversRoutes } from './modules/servers/servers.routes.js';
import { consoleRoutes } from './modules/console/console.routes.js';
import { templatesRoutes } from './modules/templates/templates.routes.js';
import { vmsRoutes } from './modules/vms/vms.routes.js';
import { billingRoutes } from './modules/billing/billing.routes.js';
import { paymentsRoutes } from './modules/payments/payments.routes.js';
import type { Infrastructure, Services } from './services.js';
import { createLiveHub } from './modules/live/live.hub.js';
import { liveRoutes } from './modules/live/live.routes.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** "true", "false", or addresses/CIDRs/names ("loopback") of the proxies to believe. */
function trustProxy(value: string): boolean | string[] {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The HTTP application, without listening. Tests build it the same way the
 * CLI does, with the database and clock they choose.
 */
export async function buildApp(infra: Infrastructure & { services: Services }): Promise<FastifyInstance> {
  const { config, services } = infra;
  const app = Fastify({
    loggerInstance: infra.logger,
    trustProxy: trustProxy(config.TRUST_PROXY),
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Accept the caller's id (a proxy's, say) so one id follows a request end to end.
    requestIdHeader: false,
    genReqId: (req) => {
      const h = req.headers['x-request-id'];
      return typeof h === 'string' && REQUEST_ID.test(h) ? h : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    frameworkErrors: frameworkErrors(config.isProduction),
  }) as unknown as FastifyInstance;
  // The API speaks JSON only; any other body gets a clear 415, not a confusing 400.
  app.removeContentTypeParser(['text/plain']);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(
    createResponseSerializerCompiler({
      // The contract check costs a full zod pass per response: development and tests keep it.
      check: !config.isProduction,
      crossCheck: config.NODE_ENV === 'test',
      logger: infra.logger,
    }),
  );
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
  });

  registerErrorHandler(app, { production: config.isProduction });
  // This instance's live streams; events reach it from any instance through the bus.
  const hub = createLiveHub({
    bus: services.bus,
    logger: infra.logger.child({ module: 'live' }),
    recheck: (c) => services.auth.recheckSession(c.sessionId, c.userId),
  });
  app.addHook('preClose', async () => hub.close());
  await app.register(cookie);
  // Once, for every websocket route (the VM console). RFB's largest client
  // message is a pasted clipboard; 1 MiB is plenty and bounds a frame.
  await app.register(websocket, { options: { maxPayload: 1024 * 1024, perMessageDeflate: false } });
  await app.register(cors, {
    origin: config.corsOrigins,
    credentials: true,
    methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Uni-Manager API',
        version: VERSION,
        description:
          'Virtual machines on Proxmox VE, paid with prepaid credits. Every error has the shape `{ error: { code, message, details }, requestId }`.',
      },
      servers: [{ url: '/' }],
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  // The JSON API: nothing it returns is ever a document to render or frame.
  await app.register(
    async (api) => {
      await api.register(helmet, {
        global: true,
        contentSecurityPolicy: {
          useDefaults: false,
          directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
        },
        hsts: config.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
        referrerPolicy: { policy: 'no-referrer' },
      });
      registerAuth(api, services.auth);
      await api.register(
        healthRoutes({ database: infra.database, redis: infra.redis, version: VERSION, startedAt: Date.now() }),
      );
      await api.register(authRoutes({ auth: services.auth, audit: services.audit, cookieSecure: config.cookieSecure }));
      await api.register(usersRoutes({ users: services.users }));
      await api.register(auditRoutes({ audit: services.audit }));
      await api.register(serversRoutes({ servers: services.servers, monitoring: services.monitoring }));
      await api.register(consoleRoutes({ console: services.console, logger: infra.logger }));
      await api.register(templatesRoutes({ templates: services.templates }));
      await api.register(vmsRoutes({ vms: services.vms, shutdownTimeoutSeconds: config.SHUTDOWN_TIMEOUT }));
      await api.register(
        billingRoutes({
          db: infra.database.db,
          billing: services.billing,
          reports: services.billingReports,
          notifications: services.notifications,
          users: services.users,
        }),
      );
      await api.register(paymentsRoutes({ payments: services.payments }));
      await api.register(liveRoutes({ hub }));
      api.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: API_PREFIX },
  );

  // Swagger UI brings its own scripts and styles; its plugin sets a CSP that allows exactly those.
  await app.register(async (docs) => {
    await docs.register(helmet, {
      contentSecurityPolicy: false,
      hsts: config.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    });
    await docs.register(swaggerUi, {
      routePrefix: `${API_PREFIX}/docs`,
      staticCSP: true,
      uiConfig: { persistAuthorization: false },
    });
  });

  return app;
}
