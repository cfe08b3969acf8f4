import { createHash } from 'node:crypto';
import type { AdminListVmsQuery, ListVmsQuery, OsIcon, Vm, VmOperation, VmSummary } from '@uni-manager/contracts';
import { and, asc, desc, eq, ilike, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.js';
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

/** The fields of an operation row that its view shows. */
type OperationFields = Pick<
  VmOperationRow,
  | 'id'
  | 'vmId'
  | 'actorId'
  | 'kind'
  | 'status'
  | 'step'
  | 'progress'
  | 'params'
  | 'errorCode'
  | 'errorMessage'
  | 'attempts'
  | 'createdAt'
  | 'startedAt'
  | 'finishedAt'
>;

/** An operation as `operationJson` returns it: its fields and its actor's email, times as ISO text. */
type OperationJson = Omit<OperationFields, 'createdAt' | 'startedAt' | 'finishedAt'> & {
  actorEmail: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

/**
 * The VM's newest operation among `statuses`, as one JSON value, read by the
 * same statement as the VM: one statement sees one snapshot, so a poll never
 * sees an operation finished but the VM not yet changed by it. Evaluated only
 * for the rows a page returns (PostgreSQL computes it after ORDER BY/LIMIT).
 */
function operationJson(statuses: 'active' | 'finished') {
  const which = statuses === 'active' ? sql`('queued', 'running')` : sql`('succeeded', 'failed')`;
  return sql<OperationJson | string | null>`(
    select json_build_object(
      'id', o.id, 'vmId', o.vm_id, 'actorId', o.actor_id, 'actorEmail', a.email, 'kind', o.kind,
      'status', o.status, 'step', o.step, 'progress', o.progress, 'params', o.params,
      'errorCode', o.error_code, 'errorMessage', o.error_message, 'attempts', o.attempts,
      'createdAt', o.created_at, 'startedAt', o.started_at, 'finishedAt', o.finished_at)
    from ${vmOperations} o left join ${users} a on a.id = o.actor_id
    where o.vm_id = ${vms.id} and o.status in ${which}
    order by o.created_at desc limit 1)`;
}

const vmColumns = {
  vm: vms,
  ownerEmail: users.email,
  ownerName: users.displayName,
  templateName: templates.name,
  templateOs: templates.osLabel,
  templateIcon: templates.osIcon,
  serverName: servers.name,
  active: operationJson('active'),
  last: operationJson('finished'),
};

type VmJoined = {
  vm: VmRow;
  ownerEmail: string;
  ownerName: string;
  templateName: string | null;
  templateOs: string | null;
  templateIcon: OsIcon | null;
  serverName: string | null;
  active: OperationJson | string | null;
  last: OperationJson | string | null;
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toOperation(row: OperationFields, actorEmail: string | null): VmOperation {
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

function fromJson(value: OperationJson | string | null): VmOperation | null {
  if (value === null) return null;
  const j = typeof value === 'string' ? (JSON.parse(value) as OperationJson) : value;
  const date = (t: string | null) => (t === null ? null : new Date(t));
  return toOperation(
    { ...j, createdAt: new Date(j.createdAt), startedAt: date(j.startedAt), finishedAt: date(j.finishedAt) },
    j.actorEmail,
  );
}

function toVm(r: VmJoined): Vm {
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
    activeOperation: fromJson(r.active),
    lastOperation: fromJson(r.last),
    failureMessage: v.failureMessage,
    lostAt: iso(v.lostAt),
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
  };
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

type ListQuery = ListVmsQuery & Partial<Pick<AdminListVmsQuery, 'ownerId' | 'serverId' | 'includeDeleted'>>;

/**
 * The page statement for one shape of query (which filters are set, the sort
 * and its direction), with the values as placeholders. Prepared once per
 * shape and database, and named, so each pooled connection plans it once and
 * then only executes it: planning this statement cost more than running it.
 * (Behind a pooler in transaction mode this needs PgBouncer 1.21+ with
 * max_prepared_statements set; see docs/ADMIN_GUIDE.md.)
 */
function pageStatement(db: Executor, q: ListQuery, scope: { ownerId?: string }) {
  const shape: string[] = [q.sort, q.order];
  const values: Record<string, unknown> = { limit: q.pageSize, offset: (q.page - 1) * q.pageSize };
  const like = q.q ? `%${escapeLike(q.q)}%` : undefined;
  /** The same conditions with placeholders (the statement) or with the values (a count past the last page). */
  const conditions = (bind: (name: string, value: unknown) => unknown) => {
    const where: (SQL | undefined)[] = [];
    if (scope.ownerId) where.push(eq(vms.ownerId, bind('scopeOwnerId', scope.ownerId) as string));
    if (q.ownerId) where.push(eq(vms.ownerId, bind('ownerId', q.ownerId) as string));
    if (q.serverId) where.push(eq(vms.serverId, bind('serverId', q.serverId) as string));
    if (q.status) where.push(eq(vms.status, bind('status', q.status) as VmRow['status']));
    else if (!q.includeDeleted) where.push(ne(vms.status, 'deleted'));
    if (q.powerState) where.push(eq(vms.powerState, bind('powerState', q.powerState) as VmRow['powerState']));
    if (like) {
      const l = bind('like', like) as string;
      where.push(scope.ownerId ? ilike(vms.name, l) : or(ilike(vms.name, l), ilike(users.email, l)));
    }
    return and(...where);
  };
  const placeheld = conditions((name, value) => {
    shape.push(name);
    values[name] = value;
    return sql.placeholder(name);
  });
  const dir = q.order === 'asc' ? asc : desc;
  const build = () =>
    joined(db)
      .where(placeheld)
      .orderBy(dir(sortColumns[q.sort]), dir(vms.id))
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset'));
  return { key: shape.join(':'), build, values, where: () => conditions((_name, value) => value) };
}

const prepared = new WeakMap<object, Map<string, { execute(v: Record<string, unknown>): Promise<unknown[]> }>>();

/** A page of VMs with their operations, in one statement (and so one snapshot). */
export async function listVms(
  db: Executor,
  q: ListQuery,
  scope: { ownerId?: string },
): Promise<{ items: Vm[]; total: number }> {
  const st = pageStatement(db, q, scope);
  let byShape = prepared.get(db);
  if (!byShape) prepared.set(db, (byShape = new Map()));
  let statement = byShape.get(st.key);
  if (!statement) {
    // Named by its shape: the same name always carries the same text, on any pooled connection.
    statement = st
      .build()
      .prepare(`vms_page_${createHash('sha1').update(st.key).digest('hex').slice(0, 16)}`) as unknown as {
      execute(v: Record<string, unknown>): Promise<unknown[]>;
    };
    byShape.set(st.key, statement);
  }
  const rows = (await statement.execute(st.values)) as (VmJoined & { total: number })[];
  return {
    items: rows.map((r) => toVm(r)),
    total: rows[0]?.total ?? (q.page > 1 ? await countVms(db, st.where()) : 0),
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

export async function getVmView(db: Executor, id: string): Promise<Vm> {
  const [row] = await joined(db).where(eq(vms.id, id)).limit(1);
  if (!row) throw new Error(`vm ${id} not found`);
  return toVm(row as VmJoined);
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

/** Counts of an owner's VMs by power state and status, and how many are busy, in one statement. */
export async function summarizeVms(db: Executor, ownerId: string): Promise<VmSummary> {
  const [r] = await db
    .select({
      total: sql<number>`count(*)`.mapWith(Number),
      running: sql<number>`count(*) filter (where ${vms.powerState} = 'running')`.mapWith(Number),
      stopped: sql<number>`count(*) filter (where ${vms.powerState} = 'stopped')`.mapWith(Number),
      paused: sql<number>`count(*) filter (where ${vms.powerState} = 'paused')`.mapWith(Number),
      unknown: sql<number>`count(*) filter (where ${vms.powerState} = 'unknown')`.mapWith(Number),
      provisioning: sql<number>`count(*) filter (where ${vms.status} = 'provisioning')`.mapWith(Number),
      active: sql<number>`count(*) filter (where ${vms.status} = 'active')`.mapWith(Number),
      failed: sql<number>`count(*) filter (where ${vms.status} = 'failed')`.mapWith(Number),
      lost: sql<number>`count(*) filter (where ${vms.status} = 'lost')`.mapWith(Number),
      deleting: sql<number>`count(*) filter (where ${vms.status} = 'deleting')`.mapWith(Number),
      busy: sql<number>`count(*) filter (where exists (
        select 1 from ${vmOperations} o where o.vm_id = ${vms.id} and o.status in ('queued', 'running')))`.mapWith(
        Number,
      ),
    })
    .from(vms)
    .where(and(eq(vms.ownerId, ownerId), ne(vms.status, 'deleted')));
  const c = r ?? {
    total: 0,
    running: 0,
    stopped: 0,
    paused: 0,
    unknown: 0,
    provisioning: 0,
    active: 0,
    failed: 0,
    lost: 0,
    deleting: 0,
    busy: 0,
  };
  return {
    total: c.total,
    byPowerState: { running: c.running, stopped: c.stopped, paused: c.paused, unknown: c.unknown },
    byStatus: { provisioning: c.provisioning, active: c.active, failed: c.failed, lost: c.lost, deleting: c.deleting },
    busy: c.busy,
  };
}
