/** The shapes of the Proxmox responses the product reads; fields it does not use are left out. */

export interface PveVersion {
  version: string;
  release: string;
  repoid: string;
}

export interface PveNode {
  node: string;
  status: 'online' | 'offline' | 'unknown';
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  disk?: number;
  maxdisk?: number;
  uptime?: number;
  ssl_fingerprint?: string;
}

export interface PveNodeStatus {
  cpu: number;
  uptime: number;
  loadavg: [string, string, string];
  memory: { total: number; used: number; free: number };
  rootfs: { total: number; used: number; free: number; avail?: number };
  cpuinfo: { cpus: number; model?: string; sockets?: number };
  pveversion?: string;
  kversion?: string;
}

export interface PveClusterVm {
  id: string;
  type: 'qemu';
  vmid: number;
  node: string;
  name?: string;
  status: 'running' | 'stopped' | 'unknown' | string;
  template?: 0 | 1 | boolean;
  uptime?: number;
  maxcpu?: number;
  cpu?: number;
  maxmem?: number;
  mem?: number;
  maxdisk?: number;
  netin?: number;
  netout?: number;
  diskread?: number;
  diskwrite?: number;
  lock?: string;
  tags?: string;
}

export type PveClusterResource =
  | PveClusterVm
  | {
      id: string;
      type: 'node';
      node: string;
      status: string;
      cpu?: number;
      maxcpu?: number;
      mem?: number;
      maxmem?: number;
      uptime?: number;
    }
  | { id: string; type: 'storage' | 'pool' | 'sdn' | 'lxc' | string; node?: string; [k: string]: unknown };

export interface PveTaskStatus {
  upid: string;
  node: string;
  type: string;
  id: string;
  user: string;
  status: 'running' | 'stopped';
  exitstatus?: string;
  starttime: number;
}

export interface PveTaskLogLine {
  n: number;
  t: string;
}

export interface PveVncProxy {
  port: number | string;
  ticket: string;
  user: string;
  upid: string;
  cert: string;
  password?: string;
}

export type PveConfig = Record<string, string | number | undefined>;
