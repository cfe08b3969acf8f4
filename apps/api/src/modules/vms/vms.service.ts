import { randomUUID } from 'node:crypto';
import {
  hourlyRatesX1024,
  LIMITS,
  type AdminListVmsQuery,
  type BulkActionResult,
  type CreateVmBody,
  type ListVmsQuery,
  type OperationKind,
  type ResizeBody,
  type Vm,
  type VmMetrics,
  type VmOperation,
  type VmPage,
  type VmWithOperation,
} from '@uni-manager/contracts';
import { and, asc, eq, gte, inArray, ne, notInArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import {
  serverNodes,
  servers,
  templateSources,
  templates,
  users,
  vmOperations,
  vmSamples,
  vmStateHistory,
  vms,
  type TemplateRow,
  type VmRow,
} from '../../db/schema/index.js';
import type { OperationQueue } from '../../jobs/operation-queue.js';
import type { Clock } from '../../lib/clock.js';
import type { Actor, RequestMeta } from '../../lib/context.js';
import type { SecretBox } from '../../lib/crypto/secret-box.js';
import { isUniqueViolation } from '../../lib/db-errors.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { appendAudit } from '../audit/audit.repo.js';
import type { LivePublisher } from '../live/live.publisher.js';
import type { TemplatesService } from '../templates/templates.service.js';
import type { BillingService } from '../billing/billing.service.js';
import { enterRateChange } from '../billing/billing.meter.js';
import { getAccessibleVm } from './vms.access.js';
import { getOperationView, getVmView, listOperations, listVms, summarizeVms } from './vms.repo.js';

export interface VmsServiceDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  secrets: SecretBox;
  queue: OperationQueue;
  templates: Pick<TemplatesService, 'getForCreate'>;
  billing: Pick<BillingService, 'requireFunds' | 'recordRefusal'>;
  vmLimitPerUser: number;
  shutdownTimeoutSeconds: number;
  live?: Pick<LivePublisher, 'vm'>;
}

const MiB = 1024 * 1024;
/** VMs that count against a user's limit: everything that exists or may come back. */
const COUNTED = ['provisioning', 'active', 'lost', 'deleting'] as const;

type ActionKind = Exclude<OperationKind, 'create'>;

const RANGE_MS = { '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 24 * 3_600_000 } as const;

/** The running rate a VM of this size would have, as the database computes it (contracts' pricing). */
function runningRateOf(
  p: Pick<
    VmRow,
    | 'priceRunningPerHour'
    | 'priceStoppedPerHour'
    | 'pricePerCoreHour'
    | 'pricePerGibMemoryHour'
    | 'pricePerGibDiskHour'
    | 'baseCores'
    | 'baseMemoryMib'
    | 'baseDiskGib'
  >,
  size: { cores: number; memoryMib: number; diskGib: number },
): number {
  return hourlyRatesX1024(
    {
      priceRunningPerHour: p.priceRunningPerHour,
      priceStoppedPerHour: p.priceStoppedPerHour,
      unitPrices: {
        perCorePerHour: p.pricePerCoreHour,
        perGibMemoryPerHour: p.pricePerGibMemoryHour,
        perGibDiskPerHour: p.pricePerGibDiskHour,
      },
      base: { cores: p.baseCores, memoryMib: p.baseMemoryMib, diskGib: p.baseDiskGib },
    },
    size,
  ).running;
}

function fieldError(path: string, message: string): AppError {
  return AppError.field('VALIDATION_FAILED', path, message);
}

function checkBounds(
  t: Pick<TemplateRow, 'minCores' | 'maxCores' | 'minMemoryMib' | 'maxMemoryMib' | 'maxDiskGib'> | null,
  size: { cores?: number; memoryMib?: number; diskGib?: number },
) {
  const b = t ?? {
    minCores: LIMITS.cores.min,
    maxCores: LIMITS.cores.max,
    minMemoryMib: LIMITS.memoryMib.min,
    maxMemoryMib: LIMITS.memoryMib.max,
    maxDiskGib: LIMITS.diskGib.max,
  };
  const fields: { path: string; message: string }[] = [];
  if (size.cores !== undefined && (size.cores < b.minCores || size.cores > b.maxCores))
    fields.push({ path: 'cores', message: `Choose between ${b.minCores} and ${b.maxCores} cores` });
  if (size.memoryMib !== undefined && (size.memoryMib < b.minMemoryMib || size.memoryMib > b.maxMemoryMib))
    fields.push({ path: 'memoryMib', message: `Choose between ${b.minMemoryMib} and ${b.maxMemoryMib} MiB` });
  if (size.diskGib !== undefined && size.diskGib > b.maxDiskGib)
    fields.push({ path: 'diskGib', message: `At most ${b.maxDiskGib} GiB` });
  if (fields.length) throw new AppError('VALIDATION_FAILED', fields[0]!.message, { fields });
}

/** Whether the VM's last known power state allows the action; Proxmox has the final word in the worker. */
function checkPower(vm: VmRow, kind: ActionKind) {
  const s = vm.powerState;
  const refuse = (message: string) => {
    throw new AppError('INVALID_STATE_TRANSITION', message, { powerState: s });
  };
  if (kind === 'start' && s === 'running') refuse('The VM is already running');
  if ((kind === 'stop' || kind === 'shutdown') && s === 'stopped') refuse('The VM is already stopped');
  if (kind === 'shutdown' && s === 'paused')
    refuse('The VM is suspended: resume it before shutting it down, or stop it');
  if (kind === 'reboot' && s !== 'running') refuse('Only a running VM can be rebooted');
  if (kind === 'suspend' && s !== 'running') refuse('Only a running VM can be suspended');
  if (kind === 'resume' && s !== 'paused') refuse('The VM is not suspended');
}

export function createVmsService(deps: VmsServiceDeps) {
  const { db, clock } = deps;

  async function enqueue(operationId: string) {
    // The row is the intent; if delivery fails the sweeper delivers it.
    await deps.queue.enqueue(operationId).catch((e) => {
      deps.logger.warn({ err: e, operationId }, 'could not enqueue the operation; the sweeper will pick it up');
    });
  }

  async function insertOperation(
    tx: Tx,
    row: {
      id: string;
      vmId: string;
      actorId: string | null;
      kind: OperationKind;
      params: Record<string, unknown>;
      state?: Record<string, unknown>;
    },
    now: Date,
  ) {
    try {
      // A savepoint, so a conflict leaves the outer transaction usable for the clear error.
      await tx.transaction(async (sp) => {
        await sp
          .insert(vmOperations)
          .values({ ...row, status: 'queued', step: 'queued', createdAt: now, updatedAt: now });
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const [active] = await tx
        .select({ id: vmOperations.id, kind: vmOperations.kind })
        .from(vmOperations)
        .where(and(eq(vmOperations.vmId, row.vmId), inArray(vmOperations.status, ['queued', 'running'])));
      throw new AppError(
        'VM_BUSY',
        active
          ? `Another operation (${active.kind}) is in progress on this VM; try again when it finishes`
          : 'Another operation is in progress on this VM',
        active ? { operationId: active.id, kind: active.kind } : {},
      );
    }
  }

  /**
   * A quick look at what the monitor last saw, so an impossible request is
   * refused now with a reason rather than failing in the worker a minute later.
   */
  async function checkCapacity(tx: Tx, t: TemplateRow, memoryMib: number, pin: CreateVmBody['placement']) {
    const rows = await tx
      .select({
        serverId: templateSources.serverId,
        node: templateSources.node,
        maintenance: servers.maintenance,
        nodeStatus: serverNodes.status,
        memTotal: serverNodes.memTotal,
        memUsed: serverNodes.memUsed,
      })
      .from(templateSources)
      .innerJoin(servers, eq(servers.id, templateSources.serverId))
      .leftJoin(
        serverNodes,
        and(eq(serverNodes.serverId, templateSources.serverId), eq(serverNodes.node, templateSources.node)),
      )
      .where(and(eq(templateSources.templateId, t.id), eq(servers.enabled, true), ne(servers.health, 'offline')));
    if (pin && !rows.some((r) => r.serverId === pin.serverId && (!pin.node || r.node === pin.node))) {
      throw fieldError('placement.serverId', 'This template has no usable source on that server and node');
    }
    const usable = rows.filter(
      (r) =>
        (pin ? r.serverId === pin.serverId && (!pin.node || r.node === pin.node) : !r.maintenance) &&
        r.nodeStatus !== 'offline',
    );
    if (!usable.length) {
      throw new AppError(
        'TEMPLATE_UNAVAILABLE',
        `No server that has "${t.name}" can take a new VM right now; try again later`,
      );
    }
    const fits = usable.some(
      (r) => r.memTotal === null || r.memUsed === null || r.memTotal - r.memUsed >= memoryMib * MiB,
    );
    if (!fits) {
      throw new AppError(
        'NO_CAPACITY',
        `No server has ${memoryMib} MiB of memory free right now; choose less memory or try later`,
      );
    }
  }

  async function create(actor: Actor, body: CreateVmBody, meta: RequestMeta): Promise<VmWithOperation> {
    if (body.placement && actor.role !== 'admin') {
      throw AppError.field('FORBIDDEN', 'placement', 'Only administrators choose where a VM goes');
    }
    const now = clock.now();
    const vmId = randomUUID();
    const operationId = randomUUID();
    // Visibility and availability are the templates module's rules.
    const { template: t } = await deps.templates.getForCreate(actor, body.templateId);
    await db
      .transaction(async (tx) => {
        // Locking the owner serialises their creates, so the limit below cannot be raced past.
        const [owner] = await tx
          .select({ state: users.state })
          .from(users)
          .where(eq(users.id, actor.userId))
          .for('update');
        if (!owner || owner.state !== 'active') {
          throw new AppError(
            owner?.state === 'banned' ? 'ACCOUNT_BANNED' : 'ACCOUNT_SUSPENDED',
            'Your account cannot create VMs',
          );
        }
        const size = {
          cores: body.cores ?? t.cores,
          memoryMib: body.memoryMib ?? t.memoryMib,
          diskGib: body.diskGib ?? t.diskGib,
        };
        checkBounds(t, size);
        if (size.diskGib < t.diskGib) throw fieldError('diskGib', `At least ${t.diskGib} GiB, the template's disk`);
        if (!t.cloudInit && (body.sshPublicKeys?.length || body.password)) {
          throw fieldError(
            body.password ? 'password' : 'sshPublicKeys',
            `"${t.name}" does not use cloud-init: it takes no SSH key or password`,
          );
        }
        if (actor.role !== 'admin') {
          const [{ n } = { n: 0 }] = await tx
            .select({ n: sql<number>`count(*)`.mapWith(Number) })
            .from(vms)
            .where(and(eq(vms.ownerId, actor.userId), inArray(vms.status, [...COUNTED])));
          if (n >= deps.vmLimitPerUser) {
            throw new AppError(
              'VM_LIMIT_REACHED',
              `You have ${n} of the ${deps.vmLimitPerUser} VMs you may have; delete one to create another`,
              { limit: deps.vmLimitPerUser, count: n },
            );
          }
        }
        await checkCapacity(tx, t, size.memoryMib, body.placement);
        const priceList = {
          priceRunningPerHour: t.priceRunningPerHour,
          priceStoppedPerHour: t.priceStoppedPerHour,
          pricePerCoreHour: t.pricePerCoreHour,
          pricePerGibMemoryHour: t.pricePerGibMemoryHour,
          pricePerGibDiskHour: t.pricePerGibDiskHour,
          baseCores: t.cores,
          baseMemoryMib: t.memoryMib,
          baseDiskGib: t.diskGib,
        };
        // The owner's row is locked above, so two creates cannot both spend the same balance check.
        await deps.billing.requireFunds(tx, actor.userId, runningRateOf(priceList, size), {
          action: 'create',
          vmName: body.name,
          actor,
          meta,
        });
        try {
          await tx.transaction(async (sp) => {
            await sp.insert(vms).values({
              id: vmId,
              ownerId: actor.userId,
              templateId: t.id,
              name: body.name,
              ...size,
              status: 'provisioning',
              powerState: 'unknown',
              ...priceList,
              createdAt: now,
              updatedAt: now,
            });
          });
        } catch (e) {
          if (isUniqueViolation(e))
            throw AppError.field('NAME_TAKEN', 'name', `You already have a VM named "${body.name}"`);
          throw e;
        }
        await tx
          .insert(vmStateHistory)
          .values({ vmId, at: now, status: 'provisioning', powerState: 'unknown', source: 'operation' });
        const params = {
          templateId: t.id,
          ...size,
          ...(body.sshPublicKeys?.length ? { sshPublicKeys: body.sshPublicKeys } : {}),
          ...(body.password ? { password: 'set' } : {}),
          ...(body.placement ? { placement: body.placement } : {}),
        };
        const state = body.password
          ? { passwordSealed: deps.secrets.encrypt(body.password, `operation:${operationId}:password`) }
          : {};
        await insertOperation(tx, { id: operationId, vmId, actorId: actor.userId, kind: 'create', params, state }, now);
        await appendAudit(
          tx,
          {
            actorId: actor.userId,
            actorEmail: actor.email,
            action: 'vm.create_requested',
            targetType: 'vm',
            targetId: vmId,
            ...meta,
            details: { operationId, name: body.name, template: t.name, ...size, placement: body.placement ?? null },
          },
          now,
        );
      })
      .catch(deps.billing.recordRefusal);
    await enqueue(operationId);
    deps.logger.info({ vmId, operationId, userId: actor.userId }, 'VM creation requested');
    const created = { vm: await getVmView(db, vmId), operation: await getOperationView(db, operationId) };
    deps.live?.vm({ ...created.vm, ownerId: actor.userId }, created.operation);
    return created;
  }

  async function request(
    actor: Actor,
    id: string,
    kind: ActionKind,
    params: Record<string, unknown>,
    meta: RequestMeta,
  ): Promise<VmOperation> {
    const now = clock.now();
    const operationId = randomUUID();
    let target: { id: string; ownerId: string; status: VmRow['status']; powerState: VmRow['powerState'] } | null = null;
    await db
      .transaction(async (tx) => {
        // A delete changes the VM's rate: the billing lock comes before the row's (see enterRateChange).
        await enterRateChange(tx);
        const vm = await getAccessibleVm(tx, actor, id, { forUpdate: true });
        target = vm;
        if (vm.status === 'provisioning' || vm.status === 'deleting') {
          throw new AppError(
            'VM_BUSY',
            vm.status === 'provisioning' ? 'The VM is still being created' : 'The VM is being deleted',
          );
        }
        if ((vm.status === 'failed' || vm.status === 'lost') && kind !== 'delete') {
          throw new AppError(
            'INVALID_STATE_TRANSITION',
            vm.status === 'failed'
              ? 'This VM could not be created; delete it and create another'
              : 'Proxmox no longer lists this VM; an administrator has been alerted. You can delete it.',
          );
        }
        if (vm.status === 'active' && kind !== 'delete' && kind !== 'rename' && kind !== 'resize') checkPower(vm, kind);
        if (kind === 'start' && vm.status === 'active' && vm.powerState !== 'paused') {
          await deps.billing.requireFunds(tx, vm.ownerId, vm.runningRateX1024, {
            action: 'start',
            vmName: vm.name,
            vmId: vm.id,
            actor,
            meta,
          });
        }
        if (vm.pveLock && vm.status === 'active') {
          throw new AppError('VM_LOCKED', `Proxmox has locked this VM (${vm.pveLock}); try again when that finishes`, {
            lock: vm.pveLock,
          });
        }
        if (kind === 'resize') {
          const p = params as ResizeBody;
          const [t] = vm.templateId ? await tx.select().from(templates).where(eq(templates.id, vm.templateId)) : [];
          checkBounds(t ?? null, p);
          if (p.diskGib !== undefined && p.diskGib < vm.diskGib) {
            throw AppError.field(
              'DISK_SHRINK_NOT_SUPPORTED',
              'diskGib',
              `The disk is ${vm.diskGib} GiB; disks can grow but never shrink`,
            );
          }
          const effective = { cores: vm.pending?.cores ?? vm.cores, memoryMib: vm.pending?.memoryMib ?? vm.memoryMib };
          const changes =
            (p.cores !== undefined && p.cores !== effective.cores) ||
            (p.memoryMib !== undefined && p.memoryMib !== effective.memoryMib) ||
            (p.diskGib !== undefined && p.diskGib !== vm.diskGib);
          if (!changes) throw new AppError('VALIDATION_FAILED', 'That is already the size of this VM');
        }
        if (kind === 'rename') {
          const name = String(params.name);
          if (name === vm.name) throw fieldError('name', 'That is already its name');
          const [clash] = await tx
            .select({ id: vms.id })
            .from(vms)
            .where(and(eq(vms.ownerId, vm.ownerId), eq(vms.name, name), notInArray(vms.status, ['deleted', 'failed'])));
          if (clash) throw AppError.field('NAME_TAKEN', 'name', `There is already a VM named "${name}"`);
        }
        await insertOperation(
          tx,
          { id: operationId, vmId: vm.id, actorId: actor.userId, kind, params, state: { previousStatus: vm.status } },
          now,
        );
        if (kind === 'delete') {
          await tx.update(vms).set({ status: 'deleting', updatedAt: now }).where(eq(vms.id, vm.id));
          await tx
            .insert(vmStateHistory)
            .values({ vmId: vm.id, at: now, status: 'deleting', powerState: vm.powerState, source: 'operation' });
        }
        await appendAudit(
          tx,
          {
            actorId: actor.userId,
            actorEmail: actor.email,
            action: 'vm.operation_requested',
            targetType: 'vm',
            targetId: vm.id,
            ...meta,
            details: { operationId, kind, params, name: vm.name, ownerId: vm.ownerId },
          },
          now,
        );
      })
      .catch(deps.billing.recordRefusal);
    await enqueue(operationId);
    const operation = await getOperationView(db, operationId);
    const t = target!;
    deps.live?.vm({ ...t, status: kind === 'delete' ? 'deleting' : t.status }, operation);
    return operation;
  }

  return {
    create,
    request,

    async get(actor: Actor, id: string): Promise<Vm> {
      await getAccessibleVm(db, actor, id, { includeDeleted: actor.role === 'admin' });
      return getVmView(db, id);
    },

    async listOwn(actor: Actor, q: ListVmsQuery): Promise<VmPage> {
      const { items, total } = await listVms(db, q, { ownerId: actor.userId });
      return { items, total, page: q.page, pageSize: q.pageSize };
    },

    summary: (actor: Actor) => summarizeVms(db, actor.userId),

    async listAll(q: AdminListVmsQuery): Promise<VmPage> {
      const { items, total } = await listVms(db, q, {});
      return { items, total, page: q.page, pageSize: q.pageSize };
    },

    async operations(actor: Actor, id: string, page: number, pageSize: number) {
      await getAccessibleVm(db, actor, id, { includeDeleted: actor.role === 'admin' });
      const { items, total } = await listOperations(db, id, page, pageSize);
      return { items, total, page, pageSize };
    },

    async metrics(actor: Actor, id: string, range: keyof typeof RANGE_MS): Promise<VmMetrics> {
      await getAccessibleVm(db, actor, id, { includeDeleted: actor.role === 'admin' });
      const since = new Date(clock.now().getTime() - RANGE_MS[range]);
      const [samples, states] = await Promise.all([
        db
          .select()
          .from(vmSamples)
          .where(and(eq(vmSamples.vmId, id), gte(vmSamples.at, since)))
          .orderBy(asc(vmSamples.at)),
        db
          .select()
          .from(vmStateHistory)
          .where(and(eq(vmStateHistory.vmId, id), gte(vmStateHistory.at, since)))
          .orderBy(asc(vmStateHistory.at)),
      ]);
      return {
        range,
        samples: samples.map((s) => ({
          at: s.at.toISOString(),
          cpu: s.cpu,
          memUsedBytes: s.memUsedBytes,
          memTotalBytes: s.memTotalBytes,
        })),
        states: states.map((s) => ({ at: s.at.toISOString(), powerState: s.powerState, status: s.status })),
      };
    },

    /** One operation per VM; each succeeds or fails on its own, as if requested one by one. */
    async bulk(
      actor: Actor,
      action: 'start' | 'shutdown' | 'stop',
      ids: string[],
      meta: RequestMeta,
    ): Promise<BulkActionResult> {
      const results: BulkActionResult['results'] = [];
      for (const id of new Set(ids)) {
        try {
          const params = action === 'shutdown' ? { timeoutSeconds: deps.shutdownTimeoutSeconds, forceStop: true } : {};
          results.push({ id, operation: await request(actor, id, action, params, meta), error: null });
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          results.push({ id, operation: null, error: { code: e.code, message: e.message } });
        }
      }
      return { results };
    },
  };
}
export type VmsService = ReturnType<typeof createVmsService>;
