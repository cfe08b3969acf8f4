/** Options of the simulator, their defaults, and the JSON config file that can carry them. */
import { readFileSync } from 'node:fs';
import type { Clock } from './clock.js';
import type { FaultState } from './faults/faults.js';

export interface NodeOptions {
  name: string;
  cpus?: number;
  memoryGiB?: number;
  ip?: string;
}

export interface TemplateOptions {
  /** VMID on the first node; node k (0-based) gets `vmid + 100 * k` unless `node` pins it. */
  vmid: number;
  name: string;
  /** Put the template on this node only. */
  node?: string;
  ostype?: string;
  cores?: number;
  memoryMiB?: number;
  diskGiB?: number;
  cloudInit?: boolean;
  ciuser?: string;
  description?: string;
  tags?: string;
}

/** How long each kind of task takes, in simulated milliseconds (multiplied by `timeScale`). */
export interface TaskDurations {
  cloneFull: number;
  cloneLinked: number;
  create: number;
  start: number;
  stop: number;
  shutdown: number;
  reboot: number;
  reset: number;
  pause: number;
  suspendToDisk: number;
  resume: number;
  destroy: number;
  config: number;
  resize: number;
  snapshot: number;
  snapshotDelete: number;
  rollback: number;
  template: number;
  vzdump: number;
  nodeReboot: number;
  /** How long vncproxy waits for the websocket (Proxmox: 10 s, Qemu.pm:3031). */
  vncConnectTimeout: number;
}

export const DEFAULT_DURATIONS: TaskDurations = {
  cloneFull: 20_000,
  cloneLinked: 3_000,
  create: 2_000,
  start: 3_000,
  stop: 1_500,
  shutdown: 5_000,
  reboot: 8_000,
  reset: 1_000,
  pause: 500,
  suspendToDisk: 6_000,
  resume: 1_000,
  destroy: 2_000,
  config: 300,
  resize: 1_500,
  snapshot: 3_000,
  snapshotDelete: 2_000,
  rollback: 4_000,
  template: 2_000,
  vzdump: 15_000,
  nodeReboot: 60_000,
  vncConnectTimeout: 10_000,
};

export interface TokenOptions {
  /** `user@realm!tokenname` */
  id?: string;
  secret?: string;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export interface SimulatorOptions {
  /** HTTPS port; 0 picks a free one. Default 8006, as Proxmox. */
  port?: number;
  /** Listen address. Default 127.0.0.1. */
  host?: string;
  /** Extra names for the node certificate (localhost, 127.0.0.1 and ::1 are always in). */
  hostnames?: string[];
  /** Where certificates, secrets and (with `persist`) the cluster live. Default: a temporary directory removed on close. */
  stateDir?: string;
  /** Save the whole cluster to `<stateDir>/cluster.json` and reload it on start. */
  persist?: boolean;
  /** A count (pve1..pveN) or explicit nodes. Default 3. */
  nodes?: number | (string | NodeOptions)[];
  clusterName?: string;
  /** Templates created on a fresh cluster. Default: debian-12-cloud, ubuntu-24.04-cloud, alma-9 on each node. */
  templates?: TemplateOptions[];
  /** Multiplies every simulated duration (0.01 makes a 20 s clone take 200 ms). Default 1. */
  timeScale?: number;
  durations?: Partial<TaskDurations>;
  /** Period of the usage statistics (pvestatd: 10 s), in simulated milliseconds. */
  statsIntervalMs?: number;
  /** Delay of 401 answers (Proxmox: 3 s), in real milliseconds. */
  authFailureDelayMs?: number;
  tokens?: { admin?: TokenOptions; readonly?: TokenOptions };
  rootPassword?: string;
  controlToken?: string;
  /** Faults active from the start. */
  faults?: Partial<FaultState>;
  /** Seed of the random source behind faults and usage. */
  seed?: number;
  /**
   * RFB security type offered by the console: `vnc` (VNC Authentication with the vncproxy
   * password, as QEMU does) or `none` (the websocket's ticket check is the only gate).
   */
  vncAuth?: 'vnc' | 'none';
  logger?: Logger;
  /** Log one line per API request (method, path, status, duration) at info level. */
  logRequests?: boolean;
  /** Injected clock (tests); default: the system clock with `timeScale`. */
  clock?: Clock;
}

/** Options a JSON config file may hold (everything but the injected objects). */
export type ConfigFileOptions = Omit<SimulatorOptions, 'logger' | 'clock'>;

export function readConfigFile(file: string): ConfigFileOptions {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${file}: the config must be a JSON object`);
  }
  return parsed as ConfigFileOptions;
}

export const DEFAULT_TEMPLATES: TemplateOptions[] = [
  {
    vmid: 9000,
    name: 'debian-12-cloud',
    ostype: 'l26',
    cores: 2,
    memoryMiB: 2048,
    diskGiB: 3,
    cloudInit: true,
    ciuser: 'debian',
    description: 'Debian 12 (bookworm) generic cloud image, cloud-init ready',
    tags: 'cloud-init;debian',
  },
  {
    vmid: 9001,
    name: 'ubuntu-24.04-cloud',
    ostype: 'l26',
    cores: 2,
    memoryMiB: 2048,
    diskGiB: 4,
    cloudInit: true,
    ciuser: 'ubuntu',
    description: 'Ubuntu 24.04 LTS (noble) cloud image, cloud-init ready',
    tags: 'cloud-init;ubuntu',
  },
  {
    vmid: 9002,
    name: 'alma-9',
    ostype: 'l26',
    cores: 2,
    memoryMiB: 4096,
    diskGiB: 20,
    cloudInit: false,
    description: 'AlmaLinux 9 minimal install',
    tags: 'alma',
  },
];

export const VERSION = {
  version: '9.1.1',
  release: '9.1',
  repoid: '42db4a6cf33dac83',
  kernel: '6.17.2-1-pve',
  kernelBuild: '#1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2025-10-21T11:55Z)',
  qemu: '10.1.2',
  machine: 'pc-i440fx-10.1+pve0',
} as const;
