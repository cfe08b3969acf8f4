import {
  adminListVmsQuerySchema,
  bulkActionBodySchema,
  bulkActionResultSchema,
  createVmBodySchema,
  idParamsSchema,
  listVmsQuerySchema,
  vmSummarySchema,
  operationPageSchema,
  operationResponseSchema,
  paginationQuerySchema,
  paths,
  renameBodySchema,
  resizeBodySchema,
  shutdownBodySchema,
  vmMetricsQuerySchema,
  vmMetricsSchema,
  vmPageSchema,
  vmSchema,
  vmWithOperationSchema,
  type ErrorCode,
} from '@uni-manager/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ADMIN, AUTHED, bearer, errors } from '../../lib/openapi.js';
import { actorOf } from '../../plugins/auth.js';
import type { VmsService } from './vms.service.js';

const tags = ['vms'];
const ACTION_ERRORS: ErrorCode[] = ['NOT_FOUND', 'VM_BUSY', 'VM_LOCKED', 'INVALID_STATE_TRANSITION'];

export function vmsRoutes(deps: { vms: VmsService; shutdownTimeoutSeconds: number }) {
  return async function (app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const { vms } = deps;

    r.get(paths.vms, {
      schema: {
        operationId: 'listMyVms',
        summary: 'Your VMs',
        tags,
        security: bearer,
        querystring: listVmsQuerySchema,
        response: { 200: vmPageSchema, ...errors(...AUTHED) },
      },
      handler: async (req) => vms.listOwn(actorOf(req), req.query),
    });

    r.get(paths.vmsSummary, {
      schema: {
        operationId: 'summarizeMyVms',
        summary: 'How many VMs you have, by power state and status (deleted ones not counted)',
        tags,
        security: bearer,
        response: { 200: vmSummarySchema, ...errors(...AUTHED) },
      },
      handler: async (req) => vms.summary(actorOf(req)),
    });

    r.post(paths.vms, {
      schema: {
        operationId: 'createVm',
        summary: 'Create a VM from a template; it is built in the background (follow its operation)',
        tags,
        security: bearer,
        body: createVmBodySchema,
        response: {
          202: vmWithOperationSchema,
          ...errors(
            ...AUTHED,
            'NOT_FOUND',
            'NAME_TAKEN',
            'VM_LIMIT_REACHED',
            'NO_CAPACITY',
            'TEMPLATE_UNAVAILABLE',
            'ACCOUNT_SUSPENDED',
          ),
        },
      },
      handler: async (req, reply) => reply.status(202).send(await vms.create(actorOf(req), req.body, req.meta)),
    });

    r.post(paths.vmsBulk, {
      schema: {
        operationId: 'bulkVmAction',
        summary: 'Start, shut down or stop several VMs; each gets its own operation or error',
        tags,
        security: bearer,
        body: bulkActionBodySchema,
        response: { 200: bulkActionResultSchema, ...errors(...AUTHED) },
      },
      handler: async (req) => vms.bulk(actorOf(req), req.body.action, req.body.ids, req.meta),
    });

    r.get(paths.vm, {
      schema: {
        operationId: 'getVm',
        summary: 'One VM, with its active and last operation',
        tags,
        security: bearer,
        params: idParamsSchema,
        response: { 200: vmSchema, ...errors(...AUTHED, 'NOT_FOUND') },
      },
      handler: async (req) => vms.get(actorOf(req), req.params.id),
    });

    const simple = [
      ['start', paths.vmStart, 'startVm', 'Start the VM (resumes it when suspended)'],
      ['stop', paths.vmStop, 'stopVm', 'Stop the VM at once, like pulling the plug'],
      ['reboot', paths.vmReboot, 'rebootVm', 'Reboot the guest; pending changes apply'],
      ['suspend', paths.vmSuspend, 'suspendVm', 'Pause the VM in memory'],
      ['resume', paths.vmResume, 'resumeVm', 'Resume a suspended VM'],
    ] as const;
    for (const [kind, path, operationId, summary] of simple) {
      r.post(path, {
        schema: {
          operationId,
          summary,
          tags,
          security: bearer,
          params: idParamsSchema,
          response: { 202: operationResponseSchema, ...errors(...AUTHED, ...ACTION_ERRORS) },
        },
        handler: async (req, reply) =>
          reply.status(202).send({ operation: await vms.request(actorOf(req), req.params.id, kind, {}, req.meta) }),
      });
    }

    r.post(paths.vmShutdown, {
      schema: {
        operationId: 'shutdownVm',
        summary: 'Ask the guest to shut down; stop it after the timeout unless forceStop is false',
        tags,
        security: bearer,
        params: idParamsSchema,
        body: shutdownBodySchema,
        response: { 202: operationResponseSchema, ...errors(...AUTHED, ...ACTION_ERRORS) },
      },
      handler: async (req, reply) => {
        const body = req.body ?? { forceStop: true };
        const params = {
          timeoutSeconds: body.timeoutSeconds ?? deps.shutdownTimeoutSeconds,
          forceStop: body.forceStop,
        };
        return reply
          .status(202)
          .send({ operation: await vms.request(actorOf(req), req.params.id, 'shutdown', params, req.meta) });
      },
    });

    r.post(paths.vmResize, {
      schema: {
        operationId: 'resizeVm',
        summary: 'Change cores and memory (live or at the next reboot) and grow the disk',
        tags,
        security: bearer,
        params: idParamsSchema,
        body: resizeBodySchema,
        response: {
          202: operationResponseSchema,
          ...errors(...AUTHED, ...ACTION_ERRORS, 'DISK_SHRINK_NOT_SUPPORTED'),
        },
      },
      handler: async (req, reply) =>
        reply
          .status(202)
          .send({ operation: await vms.request(actorOf(req), req.params.id, 'resize', { ...req.body }, req.meta) }),
    });

    r.post(paths.vmRename, {
      schema: {
        operationId: 'renameVm',
        summary: 'Rename the VM (in Proxmox too)',
        tags,
        security: bearer,
        params: idParamsSchema,
        body: renameBodySchema,
        response: { 202: operationResponseSchema, ...errors(...AUTHED, ...ACTION_ERRORS, 'NAME_TAKEN') },
      },
      handler: async (req, reply) =>
        reply.status(202).send({
          operation: await vms.request(actorOf(req), req.params.id, 'rename', { name: req.body.name }, req.meta),
        }),
    });

    r.delete(paths.vm, {
      schema: {
        operationId: 'deleteVm',
        summary: 'Stop the VM and destroy it in Proxmox with its disks',
        tags,
        security: bearer,
        params: idParamsSchema,
        response: { 202: operationResponseSchema, ...errors(...AUTHED, ...ACTION_ERRORS) },
      },
      handler: async (req, reply) =>
        reply.status(202).send({ operation: await vms.request(actorOf(req), req.params.id, 'delete', {}, req.meta) }),
    });

    r.get(paths.vmOperations, {
      schema: {
        operationId: 'listVmOperations',
        summary: "The VM's operations, newest first",
        tags,
        security: bearer,
        params: idParamsSchema,
        querystring: paginationQuerySchema,
        response: { 200: operationPageSchema, ...errors(...AUTHED, 'NOT_FOUND') },
      },
      handler: async (req) => vms.operations(actorOf(req), req.params.id, req.query.page, req.query.pageSize),
    });

    r.get(paths.vmMetrics, {
      schema: {
        operationId: 'getVmMetrics',
        summary: 'CPU and memory samples and state changes over a range',
        tags,
        security: bearer,
        params: idParamsSchema,
        querystring: vmMetricsQuerySchema,
        response: { 200: vmMetricsSchema, ...errors(...AUTHED, 'NOT_FOUND') },
      },
      handler: async (req) => vms.metrics(actorOf(req), req.params.id, req.query.range),
    });

    r.get(paths.adminVms, {
      config: { access: 'admin' },
      schema: {
        operationId: 'listAllVms',
        summary: 'Every VM, with owner, server and node',
        tags: ['admin: vms'],
        security: bearer,
        querystring: adminListVmsQuerySchema,
        response: { 200: vmPageSchema, ...errors(...ADMIN) },
      },
      handler: async (req) => vms.listAll(req.query),
    });
  };
}
