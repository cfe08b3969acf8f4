/** Reading a VM configuration: disks, memory, CPUs, the digest, and rendering it for the API. */
import { createHash, randomUUID } from 'node:crypto';
import { MAX_INDEX, vmOptionDef } from '../params/vm-options.js';
import {
  efidiskFormat,
  ideFormat,
  memoryFormat,
  netFormat,
  sataFormat,
  scsiFormat,
  tpmstateFormat,
  unusedFormat,
  virtioFormat,
} from '../params/property-formats.js';
import { printPropertyString, readPropertyString, type PropertyObject } from '../params/property-string.js';
import type { PropertyStringFormat } from '../params/types.js';
import type { Random } from '../random.js';
import { parseSize } from './sizes.js';
import type { VmConfig, VmModel } from './types.js';

export const DRIVE_KEY_RE = /^(ide[0-3]|sata[0-5]|scsi(\d|[12]\d|30)|virtio(\d|1[0-5])|efidisk0|tpmstate0|unused\d+)$/;

export function driveFormat(key: string): PropertyStringFormat | undefined {
  if (key.startsWith('ide')) return ideFormat;
  if (key.startsWith('sata')) return sataFormat;
  if (key.startsWith('scsi')) return scsiFormat;
  if (key.startsWith('virtio')) return virtioFormat;
  if (key === 'efidisk0') return efidiskFormat;
  if (key === 'tpmstate0') return tpmstateFormat;
  if (key.startsWith('unused')) return unusedFormat;
  return undefined;
}

export interface Drive {
  key: string;
  file: string;
  props: PropertyObject;
  size: number | undefined;
  isCdrom: boolean;
  isCloudinit: boolean;
}

export function parseDrive(key: string, value: string | undefined): Drive | undefined {
  const format = driveFormat(key);
  if (!format || value === undefined) return undefined;
  const props = readPropertyString(format, value);
  const file = props.file ?? '';
  const isCloudinit = /cloudinit$/.test(file) || /vm-\d+-cloudinit/.test(file);
  const isCdrom = props.media === 'cdrom' || file === 'none' || file === 'cdrom';
  return { key, file, props, size: parseSize(props.size), isCdrom, isCloudinit };
}

export function printDrive(drive: { key: string; props: PropertyObject }): string {
  return printPropertyString(drive.props, 'file');
}

/** Drives in a stable order (ide, sata, scsi, virtio, efidisk, tpmstate, unused). */
export function drives(config: VmConfig): Drive[] {
  const out: Drive[] = [];
  const keys = Object.keys(config).filter((k) => DRIVE_KEY_RE.test(k));
  keys.sort((a, b) => driveRank(a) - driveRank(b));
  for (const key of keys) {
    const d = parseDrive(key, config[key]);
    if (d) out.push(d);
  }
  return out;
}

function driveRank(key: string): number {
  const order = ['ide', 'sata', 'scsi', 'virtio', 'efidisk', 'tpmstate', 'unused'];
  const m = /^([a-z]+)(\d+)$/.exec(key);
  if (!m) return 1e6;
  return order.indexOf(m[1] as string) * 1000 + Number(m[2]);
}

/** Disks that hold data (not CD-ROMs, not the cloud-init drive). */
export function dataDisks(config: VmConfig): Drive[] {
  return drives(config).filter((d) => !d.isCdrom && !d.key.startsWith('unused'));
}

/** The disk `maxdisk` reports: the first disk of the boot order, else the first data disk (bootdisk_size). */
export function bootDisk(config: VmConfig): Drive | undefined {
  const order = readPropertyString({ name: 'boot', keys: { order: { type: 'string' } } }, config.boot).order;
  for (const key of order?.split(';') ?? []) {
    const d = parseDrive(key, config[key]);
    if (d && !d.isCdrom) return d;
  }
  if (config.bootdisk) {
    const d = parseDrive(config.bootdisk, config[config.bootdisk]);
    if (d && !d.isCdrom) return d;
  }
  return dataDisks(config).find((d) => !d.key.startsWith('efidisk') && !d.key.startsWith('tpmstate'));
}

export function memoryMiB(config: VmConfig): number {
  const current = readPropertyString(memoryFormat, config.memory).current;
  return current ? Number(current) : 512;
}

export function cpuCount(config: VmConfig): number {
  if (config.vcpus) return Number(config.vcpus);
  return Number(config.sockets ?? 1) * Number(config.cores ?? 1);
}

export function isTemplate(config: VmConfig): boolean {
  return config.template === '1';
}

export function hotplugFeatures(config: VmConfig): Set<string> {
  const value = config.hotplug ?? 'network,disk,usb';
  if (value === '0') return new Set();
  if (value === '1') return new Set(['network', 'disk', 'usb']);
  return new Set(value.split(','));
}

/** The checksum GET config returns and POST/PUT accept as `digest` (SHA-1 of the config text). */
export function configDigest(vm: VmModel): string {
  const lines = Object.keys(vm.config)
    .sort()
    .map((k) => `${k}: ${vm.config[k]}`);
  const pending = Object.keys(vm.pending)
    .sort()
    .map((k) => `${k}: ${vm.pending[k]}`);
  const deletes = Object.keys(vm.pendingDelete).sort();
  return createHash('sha1')
    .update([...lines, '[PENDING]', ...pending, `delete: ${deletes.join(',')}`].join('\n'))
    .digest('hex');
}

/** A config value in its wire type: integers and booleans as numbers, the rest as strings. */
export function renderValue(key: string, value: string): string | number {
  const def = vmOptionDef(key);
  if (!def) return value;
  if ((def.type === 'integer' || def.type === 'number' || def.type === 'boolean') && value.trim() !== '') {
    const n = Number(value);
    if (Number.isFinite(n)) return n;
  }
  return value;
}

export function renderConfig(config: VmConfig): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const key of Object.keys(config).sort()) {
    const value = config[key] as string;
    // Proxmox never returns the cloud-init password in clear ([QS] API2/Qemu.pm, vm_config).
    out[key] = key === 'cipassword' ? '**********' : renderValue(key, value);
  }
  return out;
}

/** The config with its pending changes applied, which is what GET config shows unless `current=1`. */
export function configWithPending(vm: VmModel): VmConfig {
  const out: VmConfig = { ...vm.config, ...vm.pending };
  for (const key of Object.keys(vm.pendingDelete)) delete out[key];
  return out;
}

/** A MAC in Proxmox's own OUI (BC:24:11), as qemu-server generates them. */
export function randomMac(random: Random): string {
  const bytes = [0xbc, 0x24, 0x11, random.int(0, 255), random.int(0, 255), random.int(0, 255)];
  return bytes.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

export function parseNet(value: string | undefined): PropertyObject {
  return readPropertyString(netFormat, value);
}

/** Prints a NIC the way qemu-server does: `model=MAC` first, then the other keys. */
export function printNet(net: PropertyObject): string {
  const { model, macaddr, ...rest } = net;
  const head = model ? `${model}=${macaddr ?? ''}` : '';
  const tail = printPropertyString(rest);
  return [head, tail].filter(Boolean).join(',');
}

/** Gives every NIC without a MAC address a fresh one (add_random_macs). */
export function addRandomMacs(config: VmConfig, random: Random): void {
  for (let i = 0; i <= MAX_INDEX.net; i++) {
    const key = `net${i}`;
    if (!config[key]) continue;
    const net = parseNet(config[key]);
    if (!net.macaddr) {
      net.macaddr = randomMac(random);
      config[key] = printNet(net);
    }
  }
}

export function newSmbios(): string {
  return `uuid=${randomUUID()}`;
}
