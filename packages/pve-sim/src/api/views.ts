/**
 * Read-only views of the cluster shared by several endpoints: the per-VM status that
 * `/cluster/resources`, `qemu` and `status/current` report (qemu-server's vmstatus), and node
 * and storage summaries.
 */
import type { ClusterModel } from '../model/cluster.js';
import { splitVolid } from '../model/cluster.js';
import type { NodeModel, StorageModel, VmModel } from '../model/types.js';
import { bootDisk, cpuCount, drives, isTemplate, memoryMiB } from '../model/vm.js';
import type { Faults } from '../faults/faults.js';
import type { Clock } from '../clock.js';
import type { UsageModel } from '../usage/usage.js';

/** Whether the rest of the cluster can reach the node (fault injection or powered off). */
export function nodeOnline(node: NodeModel, faults: Faults): boolean {
  return !node.poweredOff && !faults.nodeOffline(node.name);
}

export function vmUptime(vm: VmModel, clock: Clock): number {
  if (vm.runtime.status !== 'running' || vm.runtime.startedAt === undefined) return 0;
  return Math.max(0, Math.floor((clock.now() - vm.runtime.startedAt) / 1000));
}

/** The fields vmstatus computes for one VM (QemuServer.pm:2535-2620). */
export function vmStatus(vm: VmModel, clock: Clock): Record<string, unknown> {
  const c = vm.config;
  const running = vm.runtime.status === 'running';
  const disk = bootDisk(c);
  const maxmem = memoryMiB(c) * 1024 * 1024;
  const out: Record<string, unknown> = {
    vmid: vm.vmid,
    name: c.name ?? `VM ${vm.vmid}`,
    status: running ? 'running' : 'stopped',
    cpus: cpuCount(c),
    maxmem,
    maxdisk: disk?.size ?? 0,
    disk: 0,
    uptime: vmUptime(vm, clock),
    cpu: running ? round(vm.runtime.cpu, 6) : 0,
    mem: running ? vm.runtime.mem : 0,
    memhost: running ? vm.runtime.mem + 150 * 1024 * 1024 : 0,
    netin: vm.runtime.netin,
    netout: vm.runtime.netout,
    diskread: vm.runtime.diskread,
    diskwrite: vm.runtime.diskwrite,
  };
  if (running && vm.runtime.pid) out.pid = vm.runtime.pid;
  if (isTemplate(c)) out.template = 1;
  if (c.serial0 || c.serial1 || c.serial2 || c.serial3) out.serial = 1;
  if (c.lock) out.lock = c.lock;
  if (c.tags !== undefined) out.tags = c.tags;
  return out;
}

/** The extra fields of `full=1` / status/current, from QMP (qmpstatus, running machine, pressure). */
export function vmStatusFull(vm: VmModel, clock: Clock): Record<string, unknown> {
  const out = vmStatus(vm, clock);
  const running = vm.runtime.status === 'running';
  out.qmpstatus = running ? (vm.runtime.paused ? 'paused' : 'running') : 'stopped';
  if (running) {
    out['running-machine'] = vm.config.runningmachine ?? 'pc-i440fx-10.1+pve0';
    out['running-qemu'] = '10.1.2';
    const maxmem = out.maxmem as number;
    out.balloon = maxmem;
    out.freemem = Math.max(0, maxmem - (out.mem as number));
    for (const k of ['cpusome', 'cpufull', 'iosome', 'iofull', 'memorysome', 'memoryfull']) out[`pressure${k}`] = 0;
  }
  return out;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export interface StorageUsage {
  used: number;
  total: number;
}

/** What a storage holds as seen from a node: VM disks on it plus loose volumes. */
export function storageUsage(model: ClusterModel, storage: StorageModel, node: string): StorageUsage {
  let used = 0;
  for (const vm of model.vms.values()) {
    if (!storage.shared && vm.node !== node) continue;
    for (const d of drives(vm.config)) {
      if (splitVolid(d.file)[0] !== storage.id) continue;
      // Thin provisioning: a disk only uses what the guest wrote, about a third on average.
      used += Math.round((d.size ?? 0) * (storage.type === 'lvmthin' ? 0.3 : 0.5));
    }
  }
  for (const v of model.volumes) {
    if (v.storage === storage.id && (storage.shared || v.node === node)) used += v.size;
  }
  return { used: Math.min(used, storage.totalBytes), total: storage.totalBytes };
}

export function nodeSummary(model: ClusterModel, node: NodeModel, usage: UsageModel, clock: Clock) {
  const u = usage.node(node.name);
  return {
    uptime: Math.floor((clock.now() - node.bootedAt) / 1000),
    cpu: Math.round(u.cpu * 1e6) / 1e6,
    maxcpu: node.cpus,
    mem: u.memUsed,
    maxmem: node.memoryBytes,
    disk: u.rootfsUsed,
    maxdisk: node.rootfsBytes,
  };
}
