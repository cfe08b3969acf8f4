import { z } from 'zod';
import { idSchema, isoDateTime, pageOf, paginationQuerySchema, sortOrderSchema } from './common.js';
import { amountSchema } from './money.js';
import { coresSchema, diskGibSchema, memoryMibSchema, osIconSchema, pveNameSchema } from './templates.js';

/** A single DNS label: what Proxmox accepts as a VM name and cloud-init as a hostname. */
export const vmNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'Enter a name')
  .max(63, 'At most 63 characters')
  .regex(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    'Use letters, digits and dashes, starting and ending with a letter or digit (it becomes the hostname)',
  );

const SSH_KEY =
  /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\r\n]{0,200})?$/;
export const sshPublicKeySchema = z
  .string()
  .trim()
  .max(16_384)
  .regex(SSH_KEY, 'Paste an OpenSSH public key, e.g. "ssh-ed25519 AAAA… you@laptop"');

/** Lifecycle of the record; power state is separate and comes from Proxmox. */
export const vmStatuses = ['provisioning', 'active', 'failed', 'lost', 'deleting', 'deleted'] as const;
export const vmStatusSchema = z.enum(vmStatuses);
export type VmStatus = z.infer<typeof vmStatusSchema>;

export const powerStates = ['running', 'stopped', 'paused', 'unknown'] as const;
export const powerStateSchema = z.enum(powerStates);
export type PowerState = z.infer<typeof powerStateSchema>;

export const operationKinds = [
  'create',
  'start',
  'shutdown',
  'stop',
  'reboot',
  'suspend',
  'resume',
  'resize',
  'rename',
  'delete',
] as const;
export const operationKindSchema = z.enum(operationKinds);
export type OperationKind = z.infer<typeof operationKindSchema>;

export const operationStatuses = ['queued', 'running', 'succeeded', 'failed'] as const;
export const operationStatusSchema = z.enum(operationStatuses);
export type OperationStatus = z.infer<typeof operationStatusSchema>;

/**
 * The steps a user watches. Not every operation passes through every step;
 * `waiting` is a retry after a transient Proxmox fault.
 */
export const operationSteps = [
  'queued',
  'placing',
  'cloning',
  'configuring',
  'resizing',
  'starting',
  'stopping',
  'shutting_down',
  'rebooting',
  'suspending',
  'resuming',
  'renaming',
  'destroying',
  'cleaning_up',
  'waiting',
  'done',
] as const;
export const operationStepSchema = z.enum(operationSteps);
export type OperationStep = z.infer<typeof operationStepSchema>;

export const operationSchema = z
  .object({
    id: idSchema,
    vmId: idSchema,
    kind: operationKindSchema,
    status: operationStatusSchema,
    step: operationStepSchema,
    progress: z.number().int().min(0).max(100).nullable().describe('Percent of the current Proxmox task, when known'),
    params: z.record(z.string(), z.unknown()),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    actor: z.object({ id: idSchema, email: z.string() }).nullable().describe('null when the platform acted'),
    attempts: z.number().int().nonnegative(),
    createdAt: isoDateTime,
    startedAt: isoDateTime.nullable(),
    finishedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'VmOperation' });
export type VmOperation = z.infer<typeof operationSchema>;

export const vmSchema = z
  .object({
    id: idSchema,
    name: z.string(),
    owner: z.object({ id: idSchema, email: z.string(), displayName: z.string() }),
    template: z.object({ id: idSchema, name: z.string(), osLabel: z.string(), osIcon: osIconSchema }).nullable(),
    server: z.object({ id: idSchema, name: z.string() }).nullable(),
    node: z.string().nullable(),
    vmid: z.number().int().nullable(),
    cores: z.number().int(),
    memoryMib: z.number().int(),
    diskGib: z.number().int(),
    pending: z
      .object({ cores: z.number().int().optional(), memoryMib: z.number().int().optional() })
      .nullable()
      .describe('Changes Proxmox applies at the next reboot'),
    status: vmStatusSchema,
    powerState: powerStateSchema,
    usage: z
      .object({
        cpu: z.number().describe('Fraction of its cores, 0..1'),
        memUsedBytes: z.number(),
        memTotalBytes: z.number(),
        uptimeSeconds: z.number().int(),
        at: isoDateTime,
      })
      .nullable(),
    addresses: z.array(z.string()),
    price: z.object({ runningPerHour: amountSchema, stoppedPerHour: amountSchema }),
    activeOperation: operationSchema.nullable(),
    lastOperation: operationSchema.nullable().describe('The most recent finished operation'),
    failureMessage: z.string().nullable(),
    lostAt: isoDateTime.nullable(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Vm' });
export type Vm = z.infer<typeof vmSchema>;

export const vmSortFields = ['name', 'createdAt', 'status', 'powerState'] as const;
export const listVmsQuerySchema = paginationQuerySchema.extend({
  q: z.string().trim().max(100).optional().describe('Matches the name (and, for admins, the owner email)'),
  status: vmStatusSchema.optional(),
  powerState: powerStateSchema.optional(),
  sort: z.enum(vmSortFields).default('createdAt'),
  order: sortOrderSchema.default('desc'),
});
export type ListVmsQuery = z.infer<typeof listVmsQuerySchema>;

export const adminListVmsQuerySchema = listVmsQuerySchema.extend({
  ownerId: idSchema.optional(),
  serverId: idSchema.optional(),
  includeDeleted: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});
export type AdminListVmsQuery = z.infer<typeof adminListVmsQuerySchema>;

export const vmPageSchema = pageOf(vmSchema);
export type VmPage = z.infer<typeof vmPageSchema>;

export const createVmBodySchema = z
  .object({
    templateId: idSchema,
    name: vmNameSchema,
    cores: coresSchema.optional(),
    memoryMib: memoryMibSchema.optional(),
    diskGib: diskGibSchema.optional(),
    sshPublicKeys: z.array(sshPublicKeySchema).max(20).optional().describe('cloud-init templates only'),
    password: z
      .string()
      .min(8, 'At least 8 characters')
      .max(128)
      .optional()
      .describe('cloud-init user password; cloud-init templates only'),
    placement: z
      .object({ serverId: idSchema, node: pveNameSchema.optional() })
      .optional()
      .describe('Administrators only: create on this server (and node)'),
  })
  .meta({ id: 'CreateVmBody' });
export type CreateVmBody = z.infer<typeof createVmBodySchema>;

export const vmWithOperationSchema = z.object({ vm: vmSchema, operation: operationSchema });
export type VmWithOperation = z.infer<typeof vmWithOperationSchema>;

export const shutdownBodySchema = z
  .object({
    timeoutSeconds: z.number().int().min(10).max(3600).optional().describe('Defaults to the configured timeout'),
    forceStop: z.boolean().default(true).describe('Stop the VM when the guest has not shut down in time'),
  })
  .default({ forceStop: true });
export const resizeBodySchema = z
  .object({ cores: coresSchema.optional(), memoryMib: memoryMibSchema.optional(), diskGib: diskGibSchema.optional() })
  .refine((b) => b.cores !== undefined || b.memoryMib !== undefined || b.diskGib !== undefined, {
    message: 'Change at least one of cores, memory or disk',
  });
export type ResizeBody = z.infer<typeof resizeBodySchema>;
export const renameBodySchema = z.object({ name: vmNameSchema });

export const operationResponseSchema = z.object({ operation: operationSchema });
export const operationPageSchema = pageOf(operationSchema);

export const bulkActions = ['start', 'shutdown', 'stop'] as const;
export const bulkActionBodySchema = z.object({
  action: z.enum(bulkActions),
  ids: z.array(idSchema).min(1).max(100),
});
export const bulkActionResultSchema = z.object({
  results: z.array(
    z.object({
      id: idSchema,
      operation: operationSchema.nullable(),
      error: z.object({ code: z.string(), message: z.string() }).nullable(),
    }),
  ),
});
export type BulkActionResult = z.infer<typeof bulkActionResultSchema>;

export const metricsRanges = ['1h', '6h', '24h'] as const;
export const vmMetricsQuerySchema = z.object({ range: z.enum(metricsRanges).default('1h') });
export const vmMetricsSchema = z.object({
  range: z.enum(metricsRanges),
  samples: z.array(z.object({ at: isoDateTime, cpu: z.number(), memUsedBytes: z.number(), memTotalBytes: z.number() })),
  states: z
    .array(z.object({ at: isoDateTime, powerState: powerStateSchema, status: vmStatusSchema }))
    .describe('State changes in the range, oldest first'),
});
export type VmMetrics = z.infer<typeof vmMetricsSchema>;

export const consoleTicketSchema = z.object({
  ticket: z.string().describe('One-time, valid until expiresAt; pass it as ?ticket= to websocketPath'),
  expiresAt: isoDateTime,
  websocketPath: z.string().describe('Path of the websocket, relative to the API origin'),
});
export type ConsoleTicket = z.infer<typeof consoleTicketSchema>;
export const consoleSocketQuerySchema = z.object({ ticket: z.string().min(1).max(256) });

/**
 * Why the console websocket closed, for a failure after the upgrade: the code
 * is 4000 + the HTTP status of the error (4401 ticket invalid, 4409 VM not
 * running, 4502 Proxmox unavailable…) and the reason "<ERROR_CODE>: <message>",
 * cut to the 123 bytes a close frame allows. 1000 from the server means the
 * console ended on the Proxmox side (the VM stopped, say).
 */
export const CONSOLE_CLOSE_BASE = 4000;

/** Placement candidates an admin may pin a VM to. */
export const placementOptionSchema = z.object({
  serverId: idSchema,
  serverName: z.string(),
  node: z.string(),
  freeMemoryBytes: z.number().nullable(),
  usable: z.boolean(),
});

/** How many VMs you have, by power state and by status, in one call (the dashboard's counters). Deleted ones are not counted. */
export const vmSummarySchema = z
  .object({
    total: z.number().int().min(0),
    byPowerState: z.object({
      running: z.number().int().min(0),
      stopped: z.number().int().min(0),
      paused: z.number().int().min(0),
      unknown: z.number().int().min(0),
    }),
    byStatus: z.object({
      provisioning: z.number().int().min(0),
      active: z.number().int().min(0),
      failed: z.number().int().min(0),
      lost: z.number().int().min(0),
      deleting: z.number().int().min(0),
    }),
    /** VMs with an operation queued or running. */
    busy: z.number().int().min(0),
  })
  .meta({ id: 'VmSummary' });
export type VmSummary = z.infer<typeof vmSummarySchema>;
