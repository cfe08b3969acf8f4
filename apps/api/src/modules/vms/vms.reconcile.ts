import { vmNameSchema, type PowerState, type VmStatus } from '@uni-manager/contracts';
import { and, asc, eq, gte, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { servers, users, vmOperations, vms, vmSamples, vmStateHistory, type VmRow } from '../../db/schema/index.js';
import type { PveClusterVm } from '../../integrations/proxmox/types.js';
import { ProxmoxError } from '../../integrations/proxmox/errors.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { appendAudit } from '../audit/audit.repo.js';
import type { ServersService } from '../servers/servers.service.js';

export interface ReconcilerDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  servers: ServersService;
  sampleRetentionHours: number;
}

export interface ReconcileSummary {
  /** Servers whose VMs were reconciled (their /cluster/resources answered). */
  servers: number;
  /** Our VMs that Proxmox listed. */
  seen: number;
  /** VMs whose status, power state, node, name or size changed. */
  changed: number;
  lost: number;
  found: number;
  failedServers: number;
}

export interface ServerResult {
  ok: boolean;
  seen: number;
  changed: number;
  lost: number;
  found: number;
}

/** One row of the bulk update, named as the columns it sets. */
interface VmUpdate {
  id: string;
  status: VmStatus;
  power_state: PowerState;
  node: string | null;
  name: string;
  cores: number;
  memory_mib: number;
  cpu: number | null;
  mem_used_bytes: number | null;
  mem_total_bytes: number | null;
  uptime_seconds: number | null;
  pve_lock: string | null;
  last_synced_at: string | null;
  lost_at: string | null;
}

/** Only these are converged: a VM being created or deleted belongs to its operation. */
const RECONCILED: VmStatus[] = ['active', 'lost'];
/** Follow-up status calls for paused VMs, at most this many at a time per server. */
const STATUS_CONCURRENCY = 8;

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const MIB = 1024 * 1024;

/** /cluster/resources knows only running, stopped and (node unreachable) unknown. */
function powerOf(status: string): PowerState {
  return status === 'running' ? 'running' : status === 'stopped' ? 'stopped' : 'unknown';
}

const hasPending = (p: VmRow['pending']) => !!p && Object.keys(p).length > 0;

async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

/**
 * Proxmox is the source of truth for power state: once per cycle, one
 * /cluster/resources call per server converges our VM records to what the
 * cluster runs, records usage samples, and writes every change of
 * (status, power state) to the history billing charges from. A VM gone from
 * Proxmox is flagged lost for an admin, never deleted.
 */
export function createReconciler(deps: ReconcilerDeps) {
  const { db, clock, logger } = deps;

  async function reconcileServer(serverId: string, now: Date): Promise<ServerResult> {
    const failed: ServerResult = { ok: false, seen: 0, changed: 0, lost: 0, found: 0 };
    const scope = and(eq(vms.serverId, serverId), inArray(vms.status, RECONCILED), isNotNull(vms.vmid));
    const paused = await db
      .select({ vmid: vms.vmid })
      .from(vms)
      .where(and(scope, eq(vms.powerState, 'paused')));

    const { server, client } = await deps.servers.clientFor(serverId, { readAttempts: 2 });
    const log = logger.child({ serverId, server: server.name });
    // An operation that ends after this instant may not be in the answer below.
    const observedAt = clock.now();
    const listed = new Map<number, PveClusterVm>();
    const qmp = new Map<number, string>();
    try {
      let resources;
      try {
        resources = await client.clusterResources('vm');
      } catch (e) {
        // Not answering says nothing about the VMs: the monitor reports the server's health.
        log.warn(
          { kind: e instanceof ProxmoxError ? e.kind : undefined, err: e },
          `reconciliation skipped: server ${server.name} did not answer`,
        );
        return failed;
      }
      const qemu = resources.filter((r): r is PveClusterVm => r.type === 'qemu');
      if (qemu.length === 0) {
        // Every cluster we clone from has templates: an empty list is far more likely a token
        // without VM.Audit than every VM destroyed at once, and must not flag them all lost.
        log.error(`reconciliation skipped: server ${server.name} lists no VMs at all; check the token's VM.Audit`);
        return failed;
      }
      for (const r of qemu) if (!r.template) listed.set(r.vmid, r);

      // /cluster/resources says "running" for a paused VM too; only QMP tells them apart.
      const toAsk = paused.flatMap((p) => {
        const r = p.vmid === null ? undefined : listed.get(p.vmid);
        return r && r.status === 'running' ? [r] : [];
      });
      await eachLimited(toAsk, STATUS_CONCURRENCY, async (r) => {
        try {
          const s = await client.vmStatus(r.node, r.vmid);
          if (s.qmpstatus) qmp.set(r.vmid, s.qmpstatus);
        } catch (e) {
          log.warn({ err: e, vmid: r.vmid }, 'cannot read the QMP status of a paused VM; it stays paused');
        }
      });
    } finally {
      await client.close();
    }

    return db.transaction(async (tx) => {
      // In id order, so two transactions locking several of these rows cannot deadlock each other.
      const rows = await tx.select().from(vms).where(scope).orderBy(asc(vms.id)).for('update');
      if (!rows.length) return { ok: true, seen: 0, changed: 0, lost: 0, found: 0 };
      const busy = new Set(
        (
          await tx
            .selectDistinct({ vmId: vmOperations.vmId })
            .from(vmOperations)
            .innerJoin(vms, eq(vms.id, vmOperations.vmId))
            .where(
              and(
                eq(vms.serverId, serverId),
                or(inArray(vmOperations.status, ['queued', 'running']), gte(vmOperations.finishedAt, observedAt)),
              ),
            )
        ).map((r) => r.vmId),
      );

      const renames = new Map<string, string>();
      for (const row of rows) {
        const r = listed.get(row.vmid!);
        if (!r || busy.has(row.id)) continue;
        const name = vmNameSchema.safeParse(r.name ?? '');
        if (name.success && name.data !== row.name) renames.set(row.id, name.data);
      }
      const taken = await namesTaken(tx, rows, renames);

      const updates: VmUpdate[] = [];
      const history: (typeof vmStateHistory.$inferInsert)[] = [];
      const samples: (typeof vmSamples.$inferInsert)[] = [];
      const lost: VmRow[] = [];
      const found: VmRow[] = [];
      let seen = 0;
      let changed = 0;

      for (const row of rows) {
        const r = listed.get(row.vmid!);
        if (!r) {
          // A running operation may be the reason (or will find out itself).
          if (row.status === 'lost' || busy.has(row.id)) continue;
          lost.push(row);
          changed++;
          updates.push({ ...patchOf(row), status: 'lost', power_state: 'unknown', lost_at: now.toISOString() });
          history.push({ vmId: row.id, at: now, status: 'lost', powerState: 'unknown', source: 'reconcile' });
          continue;
        }
        seen++;
        const cpu = num(r.cpu);
        const mem = num(r.mem);
        const maxmem = num(r.maxmem);
        const uptime = num(r.uptime);
        const next: VmUpdate = {
          ...patchOf(row),
          cpu,
          mem_used_bytes: mem,
          mem_total_bytes: maxmem,
          uptime_seconds: uptime === null ? null : Math.floor(uptime),
          pve_lock: r.lock ?? null,
          last_synced_at: now.toISOString(),
        };
        if (cpu !== null && mem !== null && maxmem !== null)
          samples.push({ vmId: row.id, at: now, cpu, memUsedBytes: mem, memTotalBytes: maxmem });
        if (busy.has(row.id)) {
          updates.push(next);
          continue;
        }

        let power = powerOf(r.status);
        if (row.powerState === 'paused' && power === 'running' && qmp.get(row.vmid!) !== 'running') power = 'paused';
        next.power_state = power;
        next.node = r.node;
        if (row.status === 'lost') {
          next.status = 'active';
          next.lost_at = null;
          found.push(row);
        }
        const rename = renames.get(row.id);
        if (rename && !taken.has(row.id)) next.name = rename;
        else if (rename)
          log.warn({ vmId: row.id, name: rename }, 'VM renamed in Proxmox to a name its owner already uses');
        if (!hasPending(row.pending)) {
          const cores = num(r.maxcpu);
          if (cores !== null && Number.isInteger(cores) && cores > 0) next.cores = cores;
          if (maxmem !== null && maxmem > 0) next.memory_mib = Math.round(maxmem / MIB);
        }
        if (next.status !== row.status || next.power_state !== row.powerState)
          history.push({
            vmId: row.id,
            at: now,
            status: next.status,
            powerState: next.power_state,
            source: 'reconcile',
          });
        const differs =
          next.status !== row.status ||
          next.power_state !== row.powerState ||
          next.node !== row.node ||
          next.name !== row.name ||
          next.cores !== row.cores ||
          next.memory_mib !== row.memoryMib;
        if (differs) {
          changed++;
          log.info(
            {
              vmId: row.id,
              vmid: row.vmid,
              from: {
                powerState: row.powerState,
                node: row.node,
                name: row.name,
                cores: row.cores,
                memoryMib: row.memoryMib,
              },
              to: {
                powerState: next.power_state,
                node: next.node,
                name: next.name,
                cores: next.cores,
                memoryMib: next.memory_mib,
              },
            },
            `VM ${row.name} (${row.vmid}) changed in Proxmox`,
          );
        }
        updates.push(next);
      }

      if (updates.length) await applyUpdates(tx, updates, now);
      if (history.length) await tx.insert(vmStateHistory).values(history);
      // The same instant twice (a re-run within one clock tick) keeps the first sample.
      if (samples.length) await tx.insert(vmSamples).values(samples).onConflictDoNothing();
      if (lost.length || found.length) await alert(tx, server, lost, found, listed, now, log);
      return { ok: true, seen, changed, lost: lost.length, found: found.length };
    });
  }

  /** The columns every row of the bulk update sets: its current values unless changed. */
  function patchOf(row: VmRow): VmUpdate {
    return {
      id: row.id,
      status: row.status,
      power_state: row.powerState,
      node: row.node,
      name: row.name,
      cores: row.cores,
      memory_mib: row.memoryMib,
      cpu: row.cpu,
      mem_used_bytes: row.memUsedBytes,
      mem_total_bytes: row.memTotalBytes,
      uptime_seconds: row.uptimeSeconds,
      pve_lock: row.pveLock,
      last_synced_at: row.lastSyncedAt?.toISOString() ?? null,
      lost_at: row.lostAt?.toISOString() ?? null,
    };
  }

  /** One statement for all of a server's VMs: hundreds of VMs cost one round trip, not hundreds. */
  async function applyUpdates(tx: Tx, updates: VmUpdate[], now: Date) {
    await tx.execute(sql`
      update vms set
        status = v.status,
        power_state = v.power_state,
        node = v.node,
        name = v.name,
        cores = v.cores,
        memory_mib = v.memory_mib,
        cpu = v.cpu,
        mem_used_bytes = v.mem_used_bytes,
        mem_total_bytes = v.mem_total_bytes,
        uptime_seconds = v.uptime_seconds,
        pve_lock = v.pve_lock,
        last_synced_at = v.last_synced_at,
        lost_at = v.lost_at,
        updated_at = case
          when (vms.status, vms.power_state, vms.node, vms.name, vms.cores, vms.memory_mib)
            is distinct from (v.status, v.power_state, v.node, v.name, v.cores, v.memory_mib)
          then ${now.toISOString()}::timestamptz else vms.updated_at end
      from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as v(
        id uuid, status text, power_state text, node text, name text, cores integer, memory_mib integer,
        cpu double precision, mem_used_bytes double precision, mem_total_bytes double precision,
        uptime_seconds integer, pve_lock text, last_synced_at timestamptz, lost_at timestamptz
      )
      where vms.id = v.id`);
  }

  /** Renames Proxmox shows that would collide with another VM of the same owner. */
  async function namesTaken(tx: Tx, rows: VmRow[], renames: Map<string, string>): Promise<Set<string>> {
    const blocked = new Set<string>();
    if (!renames.size) return blocked;
    const owners = new Map(rows.map((r) => [r.id, r.ownerId]));
    const existing = await tx
      .select({ ownerId: vms.ownerId, name: vms.name })
      .from(vms)
      .where(
        and(
          inArray(vms.ownerId, [...new Set([...renames.keys()].map((id) => owners.get(id)!))]),
          inArray(vms.name, [...renames.values()]),
          sql`${vms.status} not in ('deleted', 'failed')`,
        ),
      );
    const used = new Set(existing.map((e) => `${e.ownerId}/${e.name}`));
    const claimed = new Map<string, number>();
    for (const [id, name] of renames) {
      const key = `${owners.get(id)}/${name}`;
      claimed.set(key, (claimed.get(key) ?? 0) + 1);
    }
    for (const [id, name] of renames) {
      const key = `${owners.get(id)}/${name}`;
      if (used.has(key) || claimed.get(key)! > 1) blocked.add(id);
    }
    return blocked;
  }

  /** Lost and found VMs are an admin's business: audited with the change, and logged. */
  async function alert(
    tx: Tx,
    server: { id: string; name: string },
    lost: VmRow[],
    found: VmRow[],
    listed: Map<number, PveClusterVm>,
    now: Date,
    log: Logger,
  ) {
    const owners = new Map(
      (
        await tx
          .select({ id: users.id, email: users.email })
          .from(users)
          .where(inArray(users.id, [...new Set([...lost, ...found].map((v) => v.ownerId))]))
      ).map((u) => [u.id, u.email]),
    );
    for (const vm of lost) {
      const details = { serverId: server.id, node: vm.node, vmid: vm.vmid, name: vm.name, ownerId: vm.ownerId };
      await appendAudit(tx, { action: 'vm.lost', targetType: 'vm', targetId: vm.id, details }, now);
      log.warn(
        { vmId: vm.id, ...details, owner: owners.get(vm.ownerId) },
        `VM ${vm.name} (${vm.vmid}) of ${owners.get(vm.ownerId) ?? vm.ownerId} is gone from server ${server.name}; marked lost`,
      );
    }
    for (const vm of found) {
      const node = listed.get(vm.vmid!)?.node ?? vm.node;
      const details = { serverId: server.id, node, vmid: vm.vmid, name: vm.name, ownerId: vm.ownerId };
      await appendAudit(tx, { action: 'vm.found', targetType: 'vm', targetId: vm.id, details }, now);
      log.info(
        { vmId: vm.id, ...details, owner: owners.get(vm.ownerId) },
        `VM ${vm.name} (${vm.vmid}) of ${owners.get(vm.ownerId) ?? vm.ownerId} is back on server ${server.name}`,
      );
    }
  }

  return {
    reconcileServer: (serverId: string) => reconcileServer(serverId, clock.now()),

    /** One cycle over every enabled server (maintenance included: its VMs still run). */
    async runCycle(): Promise<ReconcileSummary> {
      const now = clock.now();
      const targets = await db
        .selectDistinct({ id: servers.id })
        .from(servers)
        .innerJoin(vms, eq(vms.serverId, servers.id))
        .where(and(eq(servers.enabled, true), inArray(vms.status, RECONCILED), isNotNull(vms.vmid)));
      const results = await Promise.allSettled(targets.map((s) => reconcileServer(s.id, now)));
      const summary: ReconcileSummary = { servers: 0, seen: 0, changed: 0, lost: 0, found: 0, failedServers: 0 };
      for (const r of results) {
        if (r.status === 'rejected') {
          logger.error({ err: r.reason }, 'reconciliation of a server failed');
          summary.failedServers++;
          continue;
        }
        if (!r.value.ok) {
          summary.failedServers++;
          continue;
        }
        summary.servers++;
        summary.seen += r.value.seen;
        summary.changed += r.value.changed;
        summary.lost += r.value.lost;
        summary.found += r.value.found;
      }
      return summary;
    },

    /** Usage samples feed the VM page's charts only; older ones are of no use. */
    async retention(): Promise<{ deleted: number }> {
      const cutoff = new Date(clock.now().getTime() - deps.sampleRetentionHours * 3_600_000);
      // Counted in the database: returning every deleted row would ship thousands of them back.
      const res = (await db.execute(sql`
        with d as (delete from ${vmSamples} where ${lt(vmSamples.at, cutoff)} returning 1)
        select count(*)::int as n from d`)) as unknown as { rows: { n: number }[] };
      return { deleted: Number(res.rows[0]?.n ?? 0) };
    },
  };
}
export type Reconciler = ReturnType<typeof createReconciler>;
