import { and, eq, max, notInArray, sql } from 'drizzle-orm';
import type { OperationKind } from '@uni-manager/contracts';
import { servers, templateSources, vms } from '../../../db/schema/index.js';
import { encodeSshKeys, type ProxmoxClient } from '../../../integrations/proxmox/client.js';
import { ProxmoxError } from '../../../integrations/proxmox/errors.js';
import type { PveConfig } from '../../../integrations/proxmox/types.js';
import { query } from '../../../lib/sql.js';
import type { HandlerResult, OperationContext } from './engine.js';
import { OperationFailure, type Classified } from './outcomes.js';

const MiB = 1024 * 1024;

/** The text in a cloned VM's notes that says which of our VMs it is: how a new worker recognises its own clone. */
export const markerOf = (vmId: string) => `uni-manager-vm: ${vmId}`;

export interface CreateParams {
  templateId: string;
  cores: number;
  memoryMib: number;
  diskGib: number;
  sshPublicKeys?: string[];
  placement?: { serverId: string; node?: string };
}

function target(ctx: OperationContext) {
  const { serverId, node, vmid } = ctx.vm;
  if (!serverId || !node || vmid === null) {
    throw new OperationFailure('INVALID_STATE_TRANSITION', 'This VM has no Proxmox VM behind it');
  }
  return { serverId, node, vmid };
}

async function statusOf(client: ProxmoxClient, node: string, vmid: number) {
  try {
    const s = await client.vmStatus(node, vmid);
    return {
      running: s.status === 'running',
      paused: s.status === 'running' && s.qmpstatus === 'paused',
      lock: s.lock,
    };
  } catch (e) {
    if (e instanceof ProxmoxError && e.kind === 'NOT_FOUND') {
      throw new OperationFailure(
        'NOT_FOUND',
        `Proxmox no longer has VM ${vmid} on ${node}; it was removed outside Uni-Manager`,
      );
    }
    throw e;
  }
}

/** Effective size and what waits for the next reboot, from Proxmox's pending view. */
async function sizeOf(client: ProxmoxClient, node: string, vmid: number) {
  const entries = await client.vmPending(node, vmid);
  const get = (key: string) => entries.find((e) => e.key === key);
  const num = (v: unknown) => (v === undefined || v === null ? undefined : Number.parseInt(String(v), 10));
  const cores = num(get('cores')?.value);
  const memory = num(get('memory')?.value);
  const pCores = num(get('cores')?.pending);
  const pMemory = num(get('memory')?.pending);
  const pending: { cores?: number; memoryMib?: number } = {};
  if (pCores !== undefined && pCores !== cores) pending.cores = pCores;
  if (pMemory !== undefined && pMemory !== memory) pending.memoryMib = pMemory;
  return {
    ...(cores !== undefined ? { cores } : {}),
    ...(memory !== undefined ? { memoryMib: memory } : {}),
    pending: Object.keys(pending).length ? pending : null,
  };
}

/** The boot disk: the first disk that is neither a CD-ROM nor a cloud-init drive. */
export function bootDisk(config: PveConfig): { key: string; sizeGib: number } | null {
  for (const key of ['scsi0', 'virtio0', 'sata0', 'ide0', 'scsi1', 'virtio1']) {
    const v = config[key];
    if (typeof v !== 'string' || /media=cdrom|cloudinit/.test(v)) continue;
    const m = /(?:^|,)size=(\d+(?:\.\d+)?)([KMGT])?/.exec(v);
    if (!m) return { key, sizeGib: 0 };
    const n = Number(m[1]);
    const unit = m[2] ?? 'G';
    const gib = unit === 'T' ? n * 1024 : unit === 'G' ? n : unit === 'M' ? n / 1024 : n / 1024 / 1024;
    return { key, sizeGib: gib };
  }
  return null;
}

async function configOrNull(client: ProxmoxClient, node: string, vmid: number): Promise<PveConfig | null> {
  try {
    return await client.vmConfig(node, vmid);
  } catch (e) {
    if (e instanceof ProxmoxError && e.kind === 'NOT_FOUND') return null;
    throw e;
  }
}

/** Waits for a lock (a clone we did not see the UPID of) to go away. */
async function waitUnlocked(ctx: OperationContext, client: ProxmoxClient, node: string, vmid: number) {
  const until = Date.now() + ctx.settings.taskTimeoutMs;
  for (;;) {
    const config = await configOrNull(client, node, vmid);
    if (!config?.lock) return config;
    if (Date.now() > until) throw new OperationFailure('VM_LOCKED', `VM ${vmid} is still locked (${config.lock})`);
    ctx.signal.throwIfAborted();
    await new Promise((r) => setTimeout(r, ctx.settings.pollMs));
  }
}

interface Candidate {
  serverId: string;
  node: string;
  templateVmid: number;
  storage: string | null;
  cloneMode: 'full' | 'linked';
  freeBytes: number;
}

/**
 * Where the VM can go: nodes holding the template, on enabled servers that
 * are not in maintenance or offline, ranked by free memory as Proxmox reports
 * it now. An admin's pin narrows the list (and may use a server in maintenance).
 */
async function rankCandidates(ctx: OperationContext, p: CreateParams, tried: string[]): Promise<Candidate[]> {
  const rows = await ctx.db
    .select({
      serverId: templateSources.serverId,
      node: templateSources.node,
      vmid: templateSources.vmid,
      storage: templateSources.storage,
      cloneMode: templateSources.cloneMode,
      enabled: servers.enabled,
      maintenance: servers.maintenance,
      health: servers.health,
    })
    .from(templateSources)
    .innerJoin(servers, eq(servers.id, templateSources.serverId))
    .where(eq(templateSources.templateId, p.templateId));
  const pin = p.placement;
  const eligible = rows.filter(
    (r) =>
      r.enabled &&
      r.health !== 'offline' &&
      (pin ? r.serverId === pin.serverId && (!pin.node || r.node === pin.node) : !r.maintenance) &&
      !tried.includes(`${r.serverId}/${r.node}`),
  );
  const byServer = new Map<string, typeof eligible>();
  for (const r of eligible) byServer.set(r.serverId, [...(byServer.get(r.serverId) ?? []), r]);
  const need = p.memoryMib * MiB;
  const ranked: Candidate[] = [];
  await Promise.all(
    [...byServer].map(async ([serverId, sources]) => {
      try {
        const client = await ctx.client(serverId);
        const nodes = await client.clusterResources('node');
        for (const s of sources) {
          const n = nodes.find((x) => x.type === 'node' && x.node === s.node) as
            { status: string; maxmem?: number; mem?: number } | undefined;
          if (!n || n.status !== 'online') continue;
          const free = (n.maxmem ?? 0) - (n.mem ?? 0);
          if (free < need) continue;
          ranked.push({
            serverId,
            node: s.node,
            templateVmid: s.vmid,
            storage: s.storage,
            cloneMode: s.cloneMode,
            freeBytes: free,
          });
        }
      } catch (e) {
        ctx.log.warn({ serverId, err: e }, 'server skipped in placement: no answer');
      }
    }),
  );
  return ranked.sort((a, b) => b.freeBytes - a.freeBytes);
}

/**
 * A VMID for a new VM on this server. Proxmox's nextid does not reserve, so
 * parallel creates would all be handed the same number; instead each takes
 * the next one from the server's counter, in a single-row update that holds
 * its lock for that statement only. Proxmox is asked once per server, to seed
 * the counter above what is already there; a number taken since by something
 * that is not ours shows up as a conflict at clone time, and the caller asks
 * again past it. The unique index on (server, vmid) stays the last word.
 */
async function allocateVmid(ctx: OperationContext, client: ProxmoxClient, c: Candidate, after?: number) {
  let floor = after ?? 0;
  const [s] = await ctx.db.select({ last: servers.lastVmid }).from(servers).where(eq(servers.id, c.serverId));
  if (s?.last === null || s?.last === undefined) {
    const [row] = await ctx.db
      .select({ top: max(vms.vmid) })
      .from(vms)
      .where(and(eq(vms.serverId, c.serverId), notInArray(vms.status, ['deleted', 'failed'])));
    floor = Math.max(floor, (row?.top ?? 0) + 1, await client.nextId());
  }
  const {
    rows: [next],
  } = await query<{ vmid: number }>(
    ctx.db,
    sql`update servers set last_vmid = greatest(coalesce(last_vmid, 0) + 1, ${floor}::int)
        where id = ${c.serverId} returning last_vmid as vmid`,
  );
  if (!next) throw new OperationFailure('PROXMOX_UNAVAILABLE', 'The server was removed while the VM was placed', false);
  await ctx.setVm({ serverId: c.serverId, node: c.node, vmid: next.vmid });
  return next.vmid;
}

async function create(ctx: OperationContext): Promise<HandlerResult> {
  const p = ctx.op.params as unknown as CreateParams;
  if (ctx.op.state.phase === 'cleanup') return cleanupCreate(ctx);
  const tried = (ctx.op.state.tried as string[] | undefined) ?? [];

  // Placement, then a VMID, then the clone. On resume, what is recorded is trusted.
  let phase = (ctx.op.state.phase as string | undefined) ?? 'place';
  let candidate = ctx.op.state.candidate as Candidate | undefined;
  for (;;) {
    if (phase === 'place') {
      await ctx.step('placing');
      const ranked = await rankCandidates(ctx, p, tried);
      const first = ranked[0];
      if (!first) {
        throw new OperationFailure(
          'NO_CAPACITY',
          tried.length
            ? 'No other server that has this template can take the VM right now'
            : `No server that has this template has ${p.memoryMib} MiB of memory free right now`,
        );
      }
      candidate = first;
      const client = await ctx.client(first.serverId);
      await allocateVmid(ctx, client, first);
      await ctx.saveState({ phase: 'clone', candidate: first });
      phase = 'clone';
    }
    if (phase === 'clone') {
      const c = candidate!;
      const client = await ctx.client(c.serverId);
      const { vmid } = target(ctx);
      try {
        if (!ctx.op.upid) {
          const existing = await configOrNull(client, c.node, vmid);
          if (existing && !String(existing.description ?? '').includes(markerOf(ctx.vm.id))) {
            // Someone else's VM took this number since we picked it.
            await allocateVmid(ctx, client, c, vmid + 1);
            continue;
          }
          if (existing) {
            await ctx.step('cloning');
            await waitUnlocked(ctx, client, c.node, vmid);
            await ctx.saveState({ phase: 'configure' });
            phase = 'configure';
            continue;
          }
        }
        await ctx.task(client, 'cloning', () =>
          client.clone(c.node, c.templateVmid, {
            newid: vmid,
            name: ctx.vm.name,
            description: `Managed by Uni-Manager. Changes made here may be overwritten.\n${markerOf(ctx.vm.id)}`,
            ...(c.cloneMode === 'full'
              ? { full: true, ...(c.storage ? { storage: c.storage } : {}) }
              : { full: false }),
          }),
        );
      } catch (e) {
        if (e instanceof ProxmoxError && e.kind === 'CONFLICT' && /already exists/.test(e.message)) {
          await allocateVmid(ctx, client, c, vmid + 1);
          continue;
        }
        // The node stopped answering before the clone started: try the next one.
        if (e instanceof ProxmoxError && e.transient && !ctx.op.upid) {
          const stillNothing = await configOrNull(client, c.node, vmid).then(
            (x) => x === null,
            () => true,
          );
          if (stillNothing) {
            tried.push(`${c.serverId}/${c.node}`);
            ctx.log.warn(
              { serverId: c.serverId, node: c.node, reason: e.message },
              'placement falls back to the next node',
            );
            await ctx.setVm({ serverId: null, node: null, vmid: null });
            await ctx.saveState({ phase: 'place', tried, candidate: null });
            phase = 'place';
            continue;
          }
        }
        throw e;
      }
      await ctx.saveState({ phase: 'configure' });
      phase = 'configure';
    }
    break;
  }

  const c = candidate!;
  const client = await ctx.client(c.serverId);
  const { node, vmid } = target(ctx);
  if (phase === 'configure') {
    const sealed = ctx.op.state.passwordSealed as string | undefined;
    const config: Record<string, string | number | boolean | undefined> = {
      name: ctx.vm.name,
      cores: p.cores,
      memory: p.memoryMib,
      tags: `uni-manager;owner-${ctx.vm.ownerId.slice(0, 8)}`,
    };
    if (p.sshPublicKeys?.length) config.sshkeys = encodeSshKeys(p.sshPublicKeys);
    if (sealed) config.cipassword = ctx.secrets.decrypt(sealed, `operation:${ctx.op.id}:password`);
    await ctx.task(client, 'configuring', () => client.setConfig(node, vmid, config));
    await ctx.saveState({ phase: 'resize' });
    phase = 'resize';
  }
  if (phase === 'resize') {
    const disk = bootDisk(await client.vmConfig(node, vmid));
    if (disk && disk.sizeGib < p.diskGib) {
      await ctx.task(client, 'resizing', () => client.resize(node, vmid, disk.key, `${p.diskGib}G`));
    }
    await ctx.saveState({ phase: 'start' });
  }
  if (!ctx.op.upid && (await statusOf(client, node, vmid)).running) {
    // Started by a previous worker whose lease ran out just after.
  } else {
    await ctx.task(client, 'starting', () => client.power(node, vmid, 'start'));
  }
  return {
    vm: {
      status: 'active',
      powerState: 'running',
      cores: p.cores,
      memoryMib: p.memoryMib,
      diskGib: p.diskGib,
      pending: null,
      failureMessage: null,
    },
  };
}

/** Removes whatever a failed create left in Proxmox, then reports the original failure. */
async function cleanupCreate(ctx: OperationContext): Promise<HandlerResult> {
  const failure = ctx.op.state.failure as Classified;
  const { serverId, node, vmid } = ctx.vm;
  if (serverId && node && vmid !== null) {
    await ctx.step('cleaning_up');
    const client = await ctx.client(serverId);
    const config = ctx.op.upid ? null : await configOrNull(client, node, vmid);
    if (ctx.op.upid || (config && String(config.description ?? '').includes(markerOf(ctx.vm.id)))) {
      if (!ctx.op.upid) {
        await waitUnlocked(ctx, client, node, vmid);
        if ((await statusOf(client, node, vmid)).running) {
          await ctx.task(client, 'cleaning_up', () => client.power(node, vmid, 'stop'));
        }
      }
      await ctx.task(client, 'cleaning_up', () =>
        client.destroy(node, vmid, { purge: true, 'destroy-unreferenced-disks': true }),
      );
    }
  }
  return {
    failed: failure,
    vm: { status: 'failed', powerState: 'unknown', failureMessage: failure.message, vmid: null },
  };
}

const power =
  (action: 'start' | 'stop' | 'shutdown' | 'reboot' | 'suspend' | 'resume', step: OperationContext['op']['step']) =>
  async (ctx: OperationContext): Promise<HandlerResult> => {
    const { serverId, node, vmid } = target(ctx);
    const client = await ctx.client(serverId);
    if (!ctx.op.upid) {
      const s = await statusOf(client, node, vmid);
      // Already where the user wants it (a retry, or a change made in Proxmox): nothing to do.
      const already =
        (action === 'start' && s.running && !s.paused) ||
        ((action === 'stop' || action === 'shutdown') && !s.running) ||
        (action === 'suspend' && s.paused) ||
        (action === 'resume' && s.running && !s.paused);
      if (already) return { vm: { powerState: s.paused ? 'paused' : s.running ? 'running' : 'stopped' } };
      if (!s.running && (action === 'reboot' || action === 'suspend' || action === 'resume')) {
        throw new OperationFailure('INVALID_STATE_TRANSITION', 'The VM is not running');
      }
      if (s.paused && (action === 'shutdown' || action === 'reboot')) {
        throw new OperationFailure('INVALID_STATE_TRANSITION', 'The VM is paused: resume it first, or stop it');
      }
      if (action === 'start' && s.paused) {
        await ctx.task(client, 'resuming', () => client.power(node, vmid, 'resume'));
        return { vm: { powerState: 'running' } };
      }
    }
    const timeout = Number(ctx.op.params.timeoutSeconds ?? ctx.settings.shutdownTimeoutSeconds);
    const extra =
      action === 'shutdown'
        ? { timeout, forceStop: ctx.op.params.forceStop !== false }
        : action === 'reboot'
          ? { timeout }
          : {};
    await ctx.task(client, step, () => client.power(node, vmid, action, extra));
    const powerState =
      action === 'suspend' ? 'paused' : action === 'stop' || action === 'shutdown' ? 'stopped' : 'running';
    // A stop or reboot applies what was pending.
    const size = action === 'suspend' || action === 'resume' ? {} : await sizeOf(client, node, vmid);
    return { vm: { powerState, ...size } };
  };

async function resize(ctx: OperationContext): Promise<HandlerResult> {
  const { serverId, node, vmid } = target(ctx);
  const client = await ctx.client(serverId);
  const p = ctx.op.params as { cores?: number; memoryMib?: number; diskGib?: number };
  const phase = (ctx.op.state.phase as string | undefined) ?? 'config';
  if (phase === 'config') {
    if (p.cores !== undefined || p.memoryMib !== undefined) {
      await ctx.task(client, 'configuring', () =>
        client.setConfig(node, vmid, {
          ...(p.cores !== undefined ? { cores: p.cores } : {}),
          ...(p.memoryMib !== undefined ? { memory: p.memoryMib } : {}),
        }),
      );
    }
    await ctx.saveState({ phase: 'disk' });
  }
  let diskGib = ctx.vm.diskGib;
  if (p.diskGib !== undefined) {
    const disk = bootDisk(await client.vmConfig(node, vmid));
    if (!disk) throw new OperationFailure('PROXMOX_ERROR', 'The VM has no disk Uni-Manager can resize');
    if (disk.sizeGib > p.diskGib) {
      throw new OperationFailure(
        'DISK_SHRINK_NOT_SUPPORTED',
        `The disk is already ${disk.sizeGib} GiB; disks only grow`,
      );
    }
    if (disk.sizeGib < p.diskGib) {
      await ctx.task(client, 'resizing', () => client.resize(node, vmid, disk.key, `${p.diskGib}G`));
    }
    diskGib = p.diskGib;
  }
  return { vm: { diskGib, ...(await sizeOf(client, node, vmid)) } };
}

async function rename(ctx: OperationContext): Promise<HandlerResult> {
  const { serverId, node, vmid } = target(ctx);
  const client = await ctx.client(serverId);
  const name = String(ctx.op.params.name);
  await ctx.task(client, 'renaming', () => client.setConfig(node, vmid, { name }));
  return { vm: { name } };
}

async function remove(ctx: OperationContext): Promise<HandlerResult> {
  const gone = { vm: { status: 'deleted' as const, powerState: 'stopped' as const } };
  const { serverId, node, vmid } = ctx.vm;
  if (!serverId || !node || vmid === null) return gone;
  const client = await ctx.client(serverId);
  const phase = (ctx.op.state.phase as string | undefined) ?? 'stop';
  if (phase === 'stop') {
    if (!ctx.op.upid) {
      const config = await configOrNull(client, node, vmid);
      if (!config) return gone;
      const s = await statusOf(client, node, vmid);
      if (s.running) await ctx.task(client, 'stopping', () => client.power(node, vmid, 'stop'));
    } else {
      // Follow the stop a previous worker started.
      await ctx.task(client, 'stopping', () => client.power(node, vmid, 'stop'));
    }
    await ctx.saveState({ phase: 'destroy' });
  }
  if (!ctx.op.upid && !(await configOrNull(client, node, vmid))) return gone;
  await ctx.task(client, 'destroying', () =>
    client.destroy(node, vmid, { purge: true, 'destroy-unreferenced-disks': true }),
  );
  return gone;
}

export const handlers: Record<OperationKind, (ctx: OperationContext) => Promise<HandlerResult>> = {
  create,
  start: power('start', 'starting'),
  stop: power('stop', 'stopping'),
  shutdown: power('shutdown', 'shutting_down'),
  reboot: power('reboot', 'rebooting'),
  suspend: power('suspend', 'suspending'),
  resume: power('resume', 'resuming'),
  resize,
  rename,
  delete: remove,
};
