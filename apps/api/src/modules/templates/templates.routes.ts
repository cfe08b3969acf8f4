import {
  catalogListSchema,
  catalogTemplateSchema,
  createTemplateBodySchema,
  idParamsSchema,
  paths,
  proxmoxTemplateListSchema,
  templateListSchema,
  templateSchema,
  updateTemplateBodySchema,
} from '@uni-manager/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ADMIN, AUTHED, bearer, errors } from '../../lib/openapi.js';
import { actorOf } from '../../plugins/auth.js';
import type { TemplatesService } from './templates.service.js';

const adminTags = ['admin: templates'];
const admin = { access: 'admin' as const };
const user = { access: 'user' as const };

export function templatesRoutes(deps: { templates: TemplatesService }) {
  return async function (app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const { templates } = deps;

    r.get(paths.templates, {
      config: user,
      schema: {
        operationId: 'listCatalogTemplates',
        summary: 'The templates you can create a VM from, with their prices and whether one can be created now',
        tags: ['templates'],
        security: bearer,
        response: { 200: catalogListSchema, ...errors(...AUTHED) },
      },
      handler: async (req) => ({ items: await templates.catalog(actorOf(req)) }),
    });

    r.get(paths.template, {
      config: user,
      schema: {
        operationId: 'getCatalogTemplate',
        summary: 'One template of the catalog',
        tags: ['templates'],
        security: bearer,
        params: idParamsSchema,
        response: { 200: catalogTemplateSchema, ...errors(...AUTHED, 'NOT_FOUND') },
      },
      handler: async (req) => templates.catalogItem(actorOf(req), req.params.id),
    });

    r.get(paths.adminTemplates, {
      config: admin,
      schema: {
        operationId: 'listTemplates',
        summary: 'Every template, disabled ones included, with its Proxmox sources and VM count',
        tags: adminTags,
        security: bearer,
        response: { 200: templateListSchema, ...errors(...ADMIN) },
      },
      handler: async () => ({ items: await templates.list() }),
    });

    r.post(paths.adminTemplates, {
      config: admin,
      schema: {
        operationId: 'createTemplate',
        summary: 'Add a template; Proxmox must confirm that each source exists and is a template',
        tags: adminTags,
        security: bearer,
        body: createTemplateBodySchema,
        response: { 201: templateSchema, ...errors(...ADMIN, 'NAME_TAKEN', 'TEMPLATE_SOURCE_INVALID') },
      },
      handler: async (req, reply) => reply.status(201).send(await templates.create(actorOf(req), req.body, req.meta)),
    });

    r.get(paths.adminTemplate, {
      config: admin,
      schema: {
        operationId: 'getTemplate',
        summary: 'One template with its sources',
        tags: adminTags,
        security: bearer,
        params: idParamsSchema,
        response: { 200: templateSchema, ...errors(...ADMIN, 'NOT_FOUND') },
      },
      handler: async (req) => templates.get(req.params.id),
    });

    r.put(paths.adminTemplate, {
      config: admin,
      schema: {
        operationId: 'updateTemplate',
        summary:
          'Replace a template’s settings; new or changed sources are checked on Proxmox. Existing VMs keep the prices they were created with.',
        tags: adminTags,
        security: bearer,
        params: idParamsSchema,
        body: updateTemplateBodySchema,
        response: {
          200: templateSchema,
          ...errors(...ADMIN, 'NOT_FOUND', 'NAME_TAKEN', 'TEMPLATE_SOURCE_INVALID'),
        },
      },
      handler: async (req) => templates.update(actorOf(req), req.params.id, req.body, req.meta),
    });

    r.delete(paths.adminTemplate, {
      config: admin,
      schema: {
        operationId: 'deleteTemplate',
        summary: 'Delete a template no VM uses any more (otherwise disable it)',
        tags: adminTags,
        security: bearer,
        params: idParamsSchema,
        response: { 204: z.null(), ...errors(...ADMIN, 'NOT_FOUND', 'TEMPLATE_IN_USE') },
      },
      handler: async (req, reply) => {
        await templates.remove(actorOf(req), req.params.id, req.meta);
        return reply.status(204).send(null);
      },
    });

    r.get(paths.adminServerTemplates, {
      config: admin,
      schema: {
        operationId: 'listServerProxmoxTemplates',
        summary: 'The template VMs on a Proxmox server, and the storages a full clone can target',
        tags: ['admin: servers'],
        security: bearer,
        params: idParamsSchema,
        response: {
          200: proxmoxTemplateListSchema,
          ...errors(...ADMIN, 'NOT_FOUND', 'PROXMOX_UNAVAILABLE', 'PROXMOX_CONNECTION_FAILED'),
        },
      },
      handler: async (req) => templates.proxmoxTemplates(req.params.id),
    });
  };
}
