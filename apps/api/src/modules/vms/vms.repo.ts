import type { AdminListVmsQuery, ListVmsQuery, OsIcon, Vm, VmOperation } from '@uni-manager/contracts';
import { and, asc, desc, eq, ilike, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, Executor } from '../../db/client.js';
import {
  servers,
  templates,
  users,
  vmOperations,
  vms,
  type VmOperationRow,
  type VmRow,
} from '../../db/schema/index.js';
import { escapeLike } from '../../lib/sql.js';

const actors = alias(users, 'actors');

const vmColumns = {
  vm: vms,
  ownerEmail: users.email,
  ownerName: users.displayName,
  templateName: templates.name,
  templateOs: templates.osLabel,
  templateIcon: templates.osIcon,
  serverName: servers.name,
};

type VmJoined = {
  vm: VmRow;
  ownerEmail: string;
  ownerName: string;
  templateName: string | null;
  templateOs: string | null;
  templateIcon: OsIcon | null;
  serverName: string | null;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toOperation(row: VmOperationRow, actorEmail: string | null): VmOperation {
  const { sshPublicKeys, ...params } = row.params as Record<string, unknown>;
  return {
    id: row.id,
    vmId: row.vmId,
    kind: row.kind,
    status: row.status,
    step: row.step,
    progress: row.progress,
    // Keys are public, but a timeline has no use for their full text.
    params: Array.isArray(sshPublicKeys) ? { ...params, sshPublicKeys: sshPublicKeys.length } : params,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
    actor: row.actorId && actorEmail ? { id: row.actorId, email: actorEmail } : null,
    attempts: row.attempts,
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}

function toVm(r: VmJoined, active: VmOperation | null, last: VmOperation | null): Vm {
  const v = r.vm;
  return {
    id: v.id,
    name: v.name,
    owner: { id: v.ownerId, email: r.ownerEmail, displayName: r.ownerName },
    template:
      v.templateId && r.templateName
        ? { id: v.templateId, name: r.templateName, osLabel: r.templateOs ?? '', osIcon: r.templateIcon ?? 'generic' }
        : null,
    server: v.serverId && r.serverName ? { id: v.serverId, name: r.serverName } : null,
    node: v.node,
    vmid: v.vmid,
    cores: v.cores,
    memoryMib: v.memoryMib,
    diskGib: v.diskGib,
    pending: v.pending ?? null,
    status: v.status,
    powerState: v.powerState,
    usage:
      v.lastSyncedAt && v.cpu !== null
        ? {
            cpu: v.cpu,
            memUsedBytes: v.memUsedBytes ?? 0,
            memTotalBytes: v.memTotalBytes ?? v.memoryMib * 1024 * 1024,
            uptimeSeconds: v.uptimeSeconds ?? 0,
            at: v.lastSyncedAt.toISOString(),
          }
        : null,
    addresses: v.addresses,
    price: { runningPerHour: v.priceRunningPerHour, stoppedPerHour: v.priceStoppedPerHour },
    activeOperation: active,
    lastOperation: last,
    failureMessage: v.failureMessage,
    lostAt: iso(v.lostAt),
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
  };
}

/** The active and the last finished operation of each VM, in two indexed queries. */
async function operationsOf(db: Executor, ids: string[]) {
  const active = new Map<string, VmOperation>();
  const last = new Map<string, VmOperation>();
  if (!ids.length) return { active, last };
  const [a, l] = await Promise.all([
    db
      .select({ op: vmOperations, email: actors.email })
      .from(vmOperations)
      .leftJoin(actors, eq(actors.id, vmOperations.actorId))
      .where(and(inArray(vmOperations.vmId, ids), inArray(vmOperations.status, ['queued', 'running']))),
    db
      .selectDistinctOn([vmOperations.vmId], { op: vmOperations, email: actors.email })
      .from(vmOperations)
      .leftJoin(actors, eq(actors.id, vmOperations.actorId))
      .where(and(inArray(vmOperations.vmId, ids), inArray(vmOperations.status, ['succeeded', 'failed'])))
      .orderBy(vmOperations.vmId, desc(vmOperations.createdAt)),
  ]);
  for (const r of a) active.set(r.op.vmId, toOperation(r.op, r.email));
  for (const r of l) last.set(r.op.vmId, toOperation(r.op, r.email));
  return { active, last };
}

function joined(db: Executor) {
  return db
    .select({ ...vmColumns, total: sql<number>`count(*) over()`.mapWith(Number) })
    .from(vms)
    .innerJoin(users, eq(users.id, vms.ownerId))
    .leftJoin(templates, eq(templates.id, vms.templateId))
    .leftJoin(servers, eq(servers.id, vms.serverId));
}

const sortColumns = {
  name: vms.name,
  createdAt: vms.createdAt,
  status: vms.status,
  powerState: vms.powerState,
} as const;

/**
 * The VM rows and their operations are read in one snapshot: read apart, a
 * poll could see an operation finished but the VM not yet changed by it.
 */
function snapshot<T>(db: Db, fn: (tx: Executor) => Promise<T>): Promise<T> {
  return db.transaction(fn, { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

export function listVms(
  db: Db,
  q: ListVmsQuery & Partial<Pick<AdminListVmsQuery, 'ownerId' | 'serverId' | 'includeDeleted'>>,
  scope: { ownerId?: string },
): Promise<{ items: Vm[]; total: number }> {
  return snapshot(db, (tx) => listVmsIn(tx, q, scope));
}

async function listVmsIn(
  db: Executor,
  q: ListVmsQuery & Partial<Pick<AdminListVmsQuery, 'ownerId' | 'serverId' | 'includeDeleted'>>,
  scope: { ownerId?: string },
): Promise<{ items: Vm[]; total: number }> {
  const where: (SQL | undefined)[] = [];
  if (scope.ownerId) where.push(eq(vms.ownerId, scope.ownerId));
  if (q.ownerId) where.push(eq(vms.ownerId, q.ownerId));
  if (q.serverId) where.push(eq(vms.serverId, q.serverId));
  if (q.status) where.push(eq(vms.status, q.status));
  else if (!q.includeDeleted) where.push(ne(vms.status, 'deleted'));
  if (q.powerState) where.push(eq(vms.powerState, q.powerState));
  if (q.q) {
    const like = `%${escapeLike(q.q)}%`;
    where.push(scope.ownerId ? ilike(vms.name, like) : or(ilike(vms.name, like), ilike(users.email, like)));
  }
  const dir = q.order === 'asc' ? asc : desc;
  const rows = await joined(db)
    .where(and(...where))
    .orderBy(dir(sortColumns[q.sort]), dir(vms.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const { active, last } = await operationsOf(
    db,
    rows.map((r) => r.vm.id),
  );
  return {
    items: rows.map((r) => toVm(r as VmJoined, active.get(r.vm.id) ?? null, last.get(r.vm.id) ?? null)),
    total: rows[0]?.total ?? (q.page > 1 ? await countVms(db, and(...where)) : 0),
  };
}

/** Only needed past the last page, where the window count has no row to ride on. */
async function countVms(db: Executor, where: SQL | undefined): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(vms)
    .innerJoin(users, eq(users.id, vms.ownerId))
    .where(where);
  return r?.n ?? 0;
}

export function getVmView(db: Db, id: string): Promise<Vm> {
  return snapshot(db, async (tx) => {
    const [row] = await joined(tx).where(eq(vms.id, id)).limit(1);
    if (!row) throw new Error(`vm ${id} not found`);
    const { active, last } = await operationsOf(tx, [id]);
    return toVm(row as VmJoined, active.get(id) ?? null, last.get(id) ?? null);
  });
}

export async function getOperationView(db: Executor, id: string): Promise<VmOperation> {
  const [r] = await db
    .select({ op: vmOperations, email: actors.email })
    .from(vmOperations)
    .leftJoin(actors, eq(actors.id, vmOperations.actorId))
    .where(eq(vmOperations.id, id));
  if (!r) throw new Error(`operation ${id} not found`);
  return toOperation(r.op, r.email);
}

export async function listOperations(db: Executor, vmId: string, page: number, pageSize: number) {
  const rows = await db
    .select({ op: vmOperations, email: actors.email, total: sql<number>`count(*) over()`.mapWith(Number) })
    .from(vmOperations)
    .leftJoin(actors, eq(actors.id, vmOperations.actorId))
    .where(eq(vmOperations.vmId, vmId))
    .orderBy(desc(vmOperations.createdAt), desc(vmOperations.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { items: rows.map((r) => toOperation(r.op, r.email)), total: rows[0]?.total ?? 0 };
}
