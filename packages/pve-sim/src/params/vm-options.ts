/**
 * The options of a VM configuration, shared by create (POST /nodes/{node}/qemu) and config
 * (POST/PUT …/config). Index ranges follow BEHAVIOUR.md (Schema caveats) and qemu-server's limits.
 */
import { dict, opt, optBool, optEnum, optInt, optNum, optStr, str } from './builders.js';
import {
  agentFormat,
  audioFormat,
  efidiskFormat,
  ideFormat,
  ivshmemFormat,
  machineFormat,
  memoryFormat,
  netFormat,
  numaFormat,
  sataFormat,
  scsiFormat,
  spiceEnhancementsFormat,
  tpmstateFormat,
  unusedFormat,
  usbFormat,
  vgaFormat,
  virtiofsFormat,
  virtioFormat,
} from './property-formats.js';
import type { ParamDef } from './types.js';

export const MAX_INDEX = {
  net: 31,
  ipconfig: 31,
  ide: 3,
  scsi: 30,
  virtio: 15,
  sata: 5,
  unused: 255,
  hostpci: 15,
  usb: 13,
  serial: 3,
  parallel: 2,
  numa: 7,
  virtiofs: 9,
} as const;

const indexed = (def: ParamDef, maxIndex: number): ParamDef => ({ ...def, maxIndex });

const OSTYPES = [
  'other',
  'wxp',
  'w2k',
  'w2k3',
  'w2k8',
  'wvista',
  'win7',
  'win8',
  'win10',
  'win11',
  'l24',
  'l26',
  'solaris',
];
const KEYBOARDS = [
  'de',
  'de-ch',
  'da',
  'en-gb',
  'en-us',
  'es',
  'fi',
  'fr',
  'fr-be',
  'fr-ca',
  'fr-ch',
  'hu',
  'is',
  'it',
  'ja',
  'lt',
  'mk',
  'nl',
  'no',
  'pl',
  'pt',
  'pt-br',
  'sv',
  'sl',
  'tr',
];
export const LOCKS = [
  'backup',
  'clone',
  'create',
  'migrate',
  'rollback',
  'snapshot',
  'snapshot-delete',
  'suspending',
  'suspended',
] as const;
const SCSIHW = ['lsi', 'lsi53c810', 'virtio-scsi-pci', 'virtio-scsi-single', 'megasas', 'pvscsi'];

/** Every configurable VM option, keyed as the schema collapses them (`net[n]`). */
export const vmConfigOptions: Readonly<Record<string, ParamDef>> = {
  acpi: optBool({ default: 1 }),
  affinity: optStr({ format: 'pve-cpuset' }),
  agent: opt(dict(agentFormat)),
  'allow-ksm': optBool({ default: 1 }),
  'amd-sev': optStr({ format: 'pve-qemu-sev-fmt' }),
  arch: optEnum(['x86_64', 'aarch64']),
  args: optStr(),
  audio0: opt(dict(audioFormat)),
  autostart: optBool({ default: 0 }),
  balloon: optInt({ minimum: 0 }),
  bios: optEnum(['seabios', 'ovmf'], { default: 'seabios' }),
  boot: optStr({ format: 'pve-qm-boot' }),
  bootdisk: optStr({ format: 'pve-qm-bootdisk', pattern: '(ide|sata|scsi|virtio)\\d+' }),
  cdrom: optStr({ format: 'pve-qm-ide' }),
  cicustom: optStr({ format: 'pve-qm-cicustom' }),
  cipassword: optStr(),
  citype: optEnum(['configdrive2', 'nocloud', 'opennebula']),
  ciupgrade: optBool({ default: 1 }),
  ciuser: optStr(),
  cores: optInt({ minimum: 1, default: 1 }),
  cpu: optStr({ format: 'pve-vm-cpu-conf' }),
  cpulimit: optNum({ minimum: 0, maximum: 128, default: 0 }),
  cpuunits: optInt({ minimum: 1, maximum: 262144 }),
  description: optStr({ maxLength: 8192 }),
  efidisk0: opt(dict(efidiskFormat)),
  freeze: optBool(),
  hookscript: optStr({ format: 'pve-volume-id' }),
  'hostpci[n]': indexed(optStr({ format: 'pve-qm-hostpci' }), MAX_INDEX.hostpci),
  hotplug: optStr({ format: 'pve-hotplug-features', default: 'network,disk,usb' }),
  hugepages: optEnum(['any', '2', '1024']),
  'ide[n]': indexed(opt(dict(ideFormat)), MAX_INDEX.ide),
  'intel-tdx': optStr({ format: 'pve-qemu-tdx-fmt' }),
  'ipconfig[n]': indexed(optStr({ format: 'pve-qm-ipconfig' }), MAX_INDEX.ipconfig),
  ivshmem: opt(dict(ivshmemFormat)),
  keephugepages: optBool({ default: 0 }),
  keyboard: optEnum(KEYBOARDS),
  kvm: optBool({ default: 1 }),
  localtime: optBool(),
  lock: optEnum(LOCKS),
  machine: opt(dict(machineFormat)),
  memory: opt(dict(memoryFormat)),
  migrate_downtime: optNum({ minimum: 0, default: 0.1 }),
  migrate_speed: optInt({ minimum: 0, default: 0 }),
  name: optStr({ format: 'dns-name' }),
  nameserver: optStr({ format: 'address-list' }),
  'net[n]': indexed(opt(dict(netFormat)), MAX_INDEX.net),
  numa: optBool({ default: 0 }),
  'numa[n]': indexed(opt(dict(numaFormat)), MAX_INDEX.numa),
  onboot: optBool({ default: 0 }),
  ostype: optEnum(OSTYPES),
  'parallel[n]': indexed(optStr({ pattern: '/dev/parport\\d+|/dev/usb/lp\\d+' }), MAX_INDEX.parallel),
  protection: optBool({ default: 0 }),
  reboot: optBool({ default: 1 }),
  rng0: optStr({ format: 'pve-qm-rng' }),
  'sata[n]': indexed(opt(dict(sataFormat)), MAX_INDEX.sata),
  'scsi[n]': indexed(opt(dict(scsiFormat)), MAX_INDEX.scsi),
  scsihw: optEnum(SCSIHW, { default: 'lsi' }),
  searchdomain: optStr(),
  'serial[n]': indexed(optStr({ pattern: '(/dev/.+|socket)' }), MAX_INDEX.serial),
  shares: optInt({ minimum: 0, maximum: 50000, default: 1000 }),
  smbios1: optStr({ format: 'pve-qm-smbios1', maxLength: 512 }),
  smp: optInt({ minimum: 1, default: 1 }),
  sockets: optInt({ minimum: 1, default: 1 }),
  spice_enhancements: opt(dict(spiceEnhancementsFormat)),
  sshkeys: optStr({ format: 'urlencoded' }),
  startdate: optStr({ pattern: '(now|\\d{4}-\\d{1,2}-\\d{1,2}(T\\d{1,2}:\\d{1,2}:\\d{1,2})?)', default: 'now' }),
  startup: optStr({ format: 'pve-startup-order' }),
  tablet: optBool({ default: 1 }),
  tags: optStr({ format: 'pve-tag-list' }),
  tdf: optBool({ default: 0 }),
  template: optBool({ default: 0 }),
  tpmstate0: opt(dict(tpmstateFormat)),
  'unused[n]': indexed(opt(dict(unusedFormat)), MAX_INDEX.unused),
  'usb[n]': indexed(opt(dict(usbFormat)), MAX_INDEX.usb),
  vcpus: optInt({ minimum: 1, default: 0 }),
  vga: opt(dict(vgaFormat)),
  'virtio[n]': indexed(opt(dict(virtioFormat)), MAX_INDEX.virtio),
  'virtiofs[n]': indexed(opt(dict(virtiofsFormat)), MAX_INDEX.virtiofs),
  vmgenid: optStr({
    pattern: '(?:[a-fA-F0-9]{8}(?:-[a-fA-F0-9]{4}){3}-[a-fA-F0-9]{12}|[01])',
    default: '1 (autogenerated)',
  }),
  vmstatestorage: optStr({ format: 'pve-storage-id' }),
  watchdog: optStr({ format: 'pve-qm-watchdog' }),
};

/**
 * Keys a config may hold that are not settable options, with their wire types: GET config
 * renders them (BEHAVIOUR.md: `digest` is always there; snapshots add `parent`, `snaptime`, …).
 */
export const vmConfigReadOnlyKeys: Readonly<Record<string, ParamDef>> = {
  digest: str(),
  meta: optStr(),
  parent: optStr({ format: 'pve-configid' }),
  snaptime: optInt(),
  vmstate: optStr(),
  runningmachine: optStr(),
  runningcpu: optStr(),
  'running-nets-host-mtu': optStr(),
};

/** The wire type of a config key (`net3` → the `net[n]` definition), for rendering GET config. */
export function vmOptionDef(key: string): ParamDef | undefined {
  const direct = vmConfigOptions[key] ?? vmConfigReadOnlyKeys[key];
  if (direct && direct.maxIndex === undefined) return direct;
  const m = /^([a-z_]+?)(\d+)$/.exec(key);
  if (!m) return undefined;
  const def = vmConfigOptions[`${m[1]}[n]`];
  if (!def || def.maxIndex === undefined || Number(m[2]) > def.maxIndex || String(Number(m[2])) !== m[2])
    return undefined;
  return def;
}
