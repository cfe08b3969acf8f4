/** The simulated cluster's state. Everything here is plain data so it can be saved as JSON. */

/** A VM configuration as qemu-server keeps it: every value a string, as in `/etc/pve/qemu-server/100.conf`. */
export type VmConfig = Record<string, string>;

export interface NodeModel {
  name: string;
  nodeid: number;
  ip: string;
  cpus: number;
  sockets: number;
  cpuModel: string;
  memoryBytes: number;
  swapBytes: number;
  rootfsBytes: number;
  /** Wall time the node last booted (uptime, task pstart). */
  bootedAt: number;
  /** Powered off through POST /nodes/{node}/status (not a fault: a fault only cuts the network). */
  poweredOff?: boolean;
}

export type StorageType = 'dir' | 'lvmthin' | 'nfs';

export interface StorageModel {
  id: string;
  type: StorageType;
  content: string[];
  shared: boolean;
  totalBytes: number;
  /** Nodes that have this storage; undefined means all. */
  nodes?: string[];
}

/** Volumes not described by a VM config: ISOs, container templates, backups, allocated images. */
export interface VolumeModel {
  volid: string;
  storage: string;
  /** For node-local storage: the node it lives on. */
  node?: string;
  content: 'iso' | 'vztmpl' | 'backup' | 'images' | 'snippets';
  format: string;
  size: number;
  vmid?: number;
  ctime: number;
  notes?: string;
  protected?: boolean;
}

export interface SnapshotModel {
  name: string;
  snaptime: number;
  description: string;
  parent?: string;
  vmstate?: string;
  config: VmConfig;
}

export interface VmRuntime {
  status: 'running' | 'stopped';
  paused: boolean;
  startedAt?: number;
  pid?: number;
  /** Usage, moved by the usage model; counters are bytes since the guest started. */
  cpu: number;
  mem: number;
  netin: number;
  netout: number;
  diskread: number;
  diskwrite: number;
}

export interface VmModel {
  vmid: number;
  node: string;
  config: VmConfig;
  pending: VmConfig;
  /** Pending deletions: 1, or 2 for a forced delete (GET pending's `delete`). */
  pendingDelete: Record<string, 1 | 2>;
  snapshots: Record<string, SnapshotModel>;
  runtime: VmRuntime;
  pool?: string;
}

export function stoppedRuntime(): VmRuntime {
  return { status: 'stopped', paused: false, cpu: 0, mem: 0, netin: 0, netout: 0, diskread: 0, diskwrite: 0 };
}
