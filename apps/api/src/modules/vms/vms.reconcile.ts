import { vmNameSchema, type PowerState, type VmStatus } from '@uni-manager/contracts';
import { and, asc, eq, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { servers, users, vmOperations, vms, vmSamples, vmStateHistory, type VmRow } from '../../db/schema/index.js';
import type { PveClusterVm } from '../../integrations/proxmox/types.js';
import { ProxmoxError } from '../../integrations/proxmox/errors.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { appendAudits, type AuditEntry } from '../audit/audit.repo.js';
import { enterRateChange } from '../billing/billing.meter.js';
import type { LivePublisher } from '../live/live.publisher.js';
import type { ServersService } from '../servers/servers.service.js';

export interface ReconcilerDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  servers: ServersService;
  sampleRetentionHours: number;
  /** Told of every VM whose state changed, once the change has committed. */
  live?: Pick<LivePublisher, 'vm'>;
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

/**
 * One row of the statement that applies a server's cycle, named as the
 * columns it sets. Status, power state, node, name, size and lost_at are
 * always set (to their current values when unchanged); the usage columns and
 * last_synced_at only for a VM Proxmox listed (`seen`).
 */
interface VmUpdate {
  id: string;
  seen: boolean;
  /** Its (status, power state) changes: a row for the history billing charges from. */
  history: boolean;
  status: VmStatus;
  power_state: PowerState;
  node: string | null;
  name: string;
  cores: number;
  memory_mib: number;
  lost_at: string | null;
  cpu?: number | null;
  mem_used_bytes?: number | null;
  mem_total_bytes?: number | null;
  uptime_seconds?: number | null;
  pve_lock?: string | null;
}

/** What a cycle reads of each VM it converges, locked. */
interface LockedVm {
  id: string;
  ownerId: string;
  vmid: number | null;
  status: VmStatus;
  powerState: PowerState;
  node: string | null;
  name: string;
  cores: number;
  memoryMib: number;
  pending: VmRow['pending'];
  lostAt: Date | null;
  /** An operation is active on it, or ended after Proxmox was asked: its state is the operation's. */
  busy: boolean;
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

    const notices: { id: string; ownerId: string; status: VmStatus; powerState: PowerState }[] = [];
    const result = await db.transaction(async (tx) => {
      // Power changes change rates: the billing lock before the rows' (see enterRateChange).
      await enterRateChange(tx);
      // In id order, so two transactions locking several of these rows cannot deadlock each other.
      const rows: LockedVm[] = await tx
        .select({
          id: vms.id,
          ownerId: vms.ownerId,
          vmid: vms.vmid,
          status: vms.status,
          powerState: vms.powerState,
          node: vms.node,
          name: vms.name,
          cores: vms.cores,
          memoryMib: vms.memoryMib,
          pending: vms.pending,
          lostAt: vms.lostAt,
          // Spelt out: in a one-table select drizzle leaves column names unqualified, and "id" would be the operation's.
          busy: sql<boolean>`exists (
            select 1 from ${vmOperations} o
            where o.vm_id = vms.id
              and (o.status in ('queued', 'running') or o.finished_at >= ${observedAt.toISOString()}::timestamptz))`,
        })
        .from(vms)
        .where(scope)
        .orderBy(asc(vms.id))
        .for('update', { of: vms });
      if (!rows.length) return { ok: true, seen: 0, changed: 0, lost: 0, found: 0 };

      const renames = new Map<string, string>();
      for (const row of rows) {
        const r = listed.get(row.vmid!);
        // A stored name is already in the schema's form: only a different one needs checking.
        if (!r || row.busy || r.name === row.name) continue;
        const name = vmNameSchema.safeParse(r.name ?? '');
        if (name.success && name.data !== row.name) renames.set(row.id, name.data);
      }
      const taken = await namesTaken(tx, rows, renames);

      const updates: VmUpdate[] = [];
      const lost: LockedVm[] = [];
      const found: LockedVm[] = [];
      let seen = 0;
      let changed = 0;

      // One object literal per VM: spreading a copy per VM cost ten times the rest of this loop.
      for (const row of rows) {
        const r = listed.get(row.vmid!);
        if (!r) {
          // A running operation may be the reason (or will find out itself).
          if (row.status === 'lost' || row.busy) continue;
          lost.push(row);
          changed++;
          updates.push({
            id: row.id,
            seen: false,
            history: true,
            status: 'lost',
            power_state: 'unknown',
            node: row.node,
            name: row.name,
            cores: row.cores,
            memory_mib: row.memoryMib,
            lost_at: now.toISOString(),
          });
          continue;
        }
        seen++;
        const maxmem = num(r.maxmem);
        const uptime = num(r.uptime);
        let { status, powerState, node, name, cores, memoryMib } = row;
        let lostAt = row.lostAt?.toISOString() ?? null;
        // A VM with an operation under way is the operation's: only its usage is recorded.
        if (!row.busy) {
          powerState = powerOf(r.status);
          if (row.powerState === 'paused' && powerState === 'running' && qmp.get(row.vmid!) !== 'running')
            powerState = 'paused';
          node = r.node;
          if (row.status === 'lost') {
            status = 'active';
            lostAt = null;
            found.push(row);
          }
          const rename = renames.get(row.id);
          if (rename && !taken.has(row.id)) name = rename;
          else if (rename)
            log.warn({ vmId: row.id, name: rename }, 'VM renamed in Proxmox to a name its owner already uses');
          if (!hasPending(row.pending)) {
            const maxcpu = num(r.maxcpu);
            if (maxcpu !== null && Number.isInteger(maxcpu) && maxcpu > 0) cores = maxcpu;
            if (maxmem !== null && maxmem > 0) memoryMib = Math.round(maxmem / MIB);
          }
        }
        const history = status !== row.status || powerState !== row.powerState;
        updates.push({
          id: row.id,
          seen: true,
          history,
          status,
          power_state: powerState,
          node,
          name,
          cores,
          memory_mib: memoryMib,
          lost_at: lostAt,
          cpu: num(r.cpu),
          mem_used_bytes: num(r.mem),
          mem_total_bytes: maxmem,
          uptime_seconds: uptime === null ? null : Math.floor(uptime),
          pve_lock: r.lock ?? null,
        });
        if (history || node !== row.node || name !== row.name || cores !== row.cores || memoryMib !== row.memoryMib) {
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
              to: { powerState, node, name, cores, memoryMib },
            },
            `VM ${row.name} (${row.vmid}) changed in Proxmox`,
          );
        }
      }

      if (updates.length) await applyUpdates(tx, updates, now);
      if (lost.length || found.length) await alert(tx, server, lost, found, listed, now, log);
      const owners = new Map(rows.map((r) => [r.id, r]));
      for (const u of updates) {
        const before = owners.get(u.id)!;
        if (u.status !== before.status || u.power_state !== before.powerState)
          notices.push({ id: u.id, ownerId: before.ownerId, status: u.status, powerState: u.power_state });
      }
      return { ok: true, seen, changed, lost: lost.length, found: found.length };
    });
    for (const n of notices) deps.live?.vm(n);
    return result;
  }

  /**
   * A server's whole cycle in one statement, whatever its number of VMs:
   * the records, the history of every change of status or power state, and
   * a usage sample of every VM Proxmox listed with its usage. The billing
   * trigger on vms records each change of rate as before.
   */
  async function applyUpdates(tx: Tx, updates: VmUpdate[], now: Date) {
    const at = now.toISOString();
    await tx.execute(sql`
      with v as (
        select * from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as v(
          id uuid, seen boolean, history boolean, status text, power_state text, node text, name text,
          cores integer, memory_mib integer, lost_at timestamptz, cpu double precision,
          mem_used_bytes double precision, mem_total_bytes double precision, uptime_seconds integer, pve_lock text
        )
      ),
      changed as (
        update vms set
          status = v.status,
          power_state = v.power_state,
          node = v.node,
          name = v.name,
          cores = v.cores,
          memory_mib = v.memory_mib,
          lost_at = v.lost_at,
          cpu = case when v.seen then v.cpu else vms.cpu end,
          mem_used_bytes = case when v.seen then v.mem_used_bytes else vms.mem_used_bytes end,
          mem_total_bytes = case when v.seen then v.mem_total_bytes else vms.mem_total_bytes end,
          uptime_seconds = case when v.seen then v.uptime_seconds else vms.uptime_seconds end,
          pve_lock = case when v.seen then v.pve_lock else vms.pve_lock end,
          last_synced_at = case when v.seen then ${at}::timestamptz else vms.last_synced_at end,
          updated_at = case
            when (vms.status, vms.power_state, vms.node, vms.name, vms.cores, vms.memory_mib)
              is distinct from (v.status, v.power_state, v.node, v.name, v.cores, v.memory_mib)
            then ${at}::timestamptz else vms.updated_at end
        from v
        where vms.id = v.id
      ),
      history as (
        insert into ${vmStateHistory} (vm_id, at, status, power_state, source)
        select v.id, ${at}::timestamptz, v.status, v.power_state, 'reconcile' from v where v.history
      )
      -- The same instant twice (a re-run within one clock tick) keeps the first sample.
      insert into ${vmSamples} (vm_id, at, cpu, mem_used_bytes, mem_total_bytes)
      select v.id, ${at}::timestamptz, v.cpu, v.mem_used_bytes, v.mem_total_bytes from v
      where v.seen and v.cpu is not null and v.mem_used_bytes is not null and v.mem_total_bytes is not null
      on conflict do nothing`);
  }

  /** Renames Proxmox shows that would collide with another VM of the same owner. */
  async function namesTaken(tx: Tx, rows: LockedVm[], renames: Map<string, string>): Promise<Set<string>> {
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

  /** Lost and found VMs are an admin's business: audited with the change (one statement for all), and logged. */
  async function alert(
    tx: Tx,
    server: { id: string; name: string },
    lost: LockedVm[],
    found: LockedVm[],
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
    const entries: AuditEntry[] = [];
    for (const vm of lost) {
      const details = { serverId: server.id, node: vm.node, vmid: vm.vmid, name: vm.name, ownerId: vm.ownerId };
      entries.push({ action: 'vm.lost', targetType: 'vm', targetId: vm.id, details });
      log.warn(
        { vmId: vm.id, ...details, owner: owners.get(vm.ownerId) },
        `VM ${vm.name} (${vm.vmid}) of ${owners.get(vm.ownerId) ?? vm.ownerId} is gone from server ${server.name}; marked lost`,
      );
    }
    for (const vm of found) {
      const node = listed.get(vm.vmid!)?.node ?? vm.node;
      const details = { serverId: server.id, node, vmid: vm.vmid, name: vm.name, ownerId: vm.ownerId };
      entries.push({ action: 'vm.found', targetType: 'vm', targetId: vm.id, details });
      log.info(
        { vmId: vm.id, ...details, owner: owners.get(vm.ownerId) },
        `VM ${vm.name} (${vm.vmid}) of ${owners.get(vm.ownerId) ?? vm.ownerId} is back on server ${server.name}`,
      );
    }
    await appendAudits(tx, entries, now);
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
