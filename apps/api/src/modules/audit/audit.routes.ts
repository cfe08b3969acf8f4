import { auditPageSchema, listAuditQuerySchema, paths } from '@uni-manager/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ADMIN, bearer, errors } from '../../lib/openapi.js';
import type { AuditService } from './audit.service.js';

export function auditRoutes(deps: { audit: AuditService }) {
  return async function (app: FastifyInstance) {
    app.withTypeProvider<ZodTypeProvider>().get(paths.adminAudit, {
      config: { access: 'admin' },
      schema: {
        operationId: 'searchAuditLog',
        summary: 'Search the audit log, newest first',
        tags: ['admin: audit'],
        security: bearer,
        querystring: listAuditQuerySchema,
        response: { 200: auditPageSchema, ...errors(...ADMIN) },
      },
      handler: async (req) => deps.audit.search(req.query),
    });
  };
}
