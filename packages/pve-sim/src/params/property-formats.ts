/**
 * Property-string formats of a VM's configuration (qemu-server's hash formats). The key names,
 * types and limits are API facts; this is our own description of them.
 */
import type { PropertyKeyDef, PropertyStringFormat } from './types.js';

const b: PropertyKeyDef = { type: 'boolean', optional: true };
const i: PropertyKeyDef = { type: 'integer', optional: true };
const n: PropertyKeyDef = { type: 'number', optional: true };
const s: PropertyKeyDef = { type: 'string', optional: true };
const e = (values: readonly string[]): PropertyKeyDef => ({ type: 'string', optional: true, enum: values });
const min1: PropertyKeyDef = { type: 'integer', optional: true, minimum: 1 };
const alias = (target: string): PropertyKeyDef => ({ alias: target });
const ID_LIST = '(?^:\\d+(?:-\\d+)?(?:;\\d+(?:-\\d+)?)*)';

export const memoryFormat: PropertyStringFormat = {
  name: 'memory',
  keys: { current: { type: 'integer', defaultKey: true, minimum: 16 } },
};

/** NIC models: each also works as a key whose value is the MAC address (`virtio=BC:24:11:…`). */
export const NIC_MODELS = [
  'e1000',
  'e1000-82540em',
  'e1000-82544gc',
  'e1000-82545em',
  'e1000e',
  'i82551',
  'i82557b',
  'i82559er',
  'ne2k_isa',
  'ne2k_pci',
  'pcnet',
  'rtl8139',
  'virtio',
  'vmxnet3',
] as const;

export const netFormat: PropertyStringFormat = {
  name: 'net',
  keys: {
    model: { type: 'string', defaultKey: true, enum: NIC_MODELS },
    macaddr: { type: 'string', optional: true, format: 'mac-addr' },
    bridge: { type: 'string', optional: true, format: 'pve-bridge-id' },
    firewall: b,
    link_down: b,
    mtu: { type: 'integer', optional: true, minimum: 1, maximum: 65520 },
    queues: { type: 'integer', optional: true, minimum: 0, maximum: 64 },
    rate: { type: 'number', optional: true, minimum: 0 },
    tag: { type: 'integer', optional: true, minimum: 1, maximum: 4094 },
    trunks: { type: 'string', optional: true, pattern: ID_LIST },
    ...Object.fromEntries(NIC_MODELS.map((m) => [m, alias('macaddr')])),
  },
};

const throttle = (prefix: 'bps' | 'iops'): Record<string, PropertyKeyDef> => ({
  [prefix]: i,
  [`${prefix}_max_length`]: min1,
  [`${prefix}_rd`]: i,
  [`${prefix}_rd_length`]: alias(`${prefix}_rd_max_length`),
  [`${prefix}_rd_max_length`]: min1,
  [`${prefix}_wr`]: i,
  [`${prefix}_wr_length`]: alias(`${prefix}_wr_max_length`),
  [`${prefix}_wr_max_length`]: min1,
});

const driveCommon: Record<string, PropertyKeyDef> = {
  file: { type: 'string', defaultKey: true, format: 'pve-volume-id-or-qm-path' },
  volume: alias('file'),
  aio: e(['native', 'threads', 'io_uring']),
  backup: b,
  ...throttle('bps'),
  ...throttle('iops'),
  iops_max: i,
  iops_rd_max: i,
  iops_wr_max: i,
  cache: e(['none', 'writethrough', 'writeback', 'unsafe', 'directsync']),
  detect_zeroes: b,
  discard: e(['ignore', 'on']),
  format: e(['raw', 'qcow', 'qed', 'qcow2', 'vmdk', 'cloop']),
  'import-from': { type: 'string', optional: true, format: 'pve-volume-id-or-absolute-path' },
  mbps: n,
  mbps_max: n,
  mbps_rd: n,
  mbps_rd_max: n,
  mbps_wr: n,
  mbps_wr_max: n,
  media: e(['cdrom', 'disk']),
  replicate: b,
  rerror: e(['ignore', 'report', 'stop']),
  serial: { type: 'string', optional: true, format: 'urlencoded', maxLength: 60 },
  shared: b,
  size: { type: 'string', optional: true, format: 'disk-size' },
  snapshot: b,
  werror: e(['enospc', 'ignore', 'report', 'stop']),
};
const wwn: PropertyKeyDef = { type: 'string', optional: true, pattern: '(?^:^(0x)[0-9a-fA-F]{16})' };

export const ideFormat: PropertyStringFormat = {
  name: 'ide',
  keys: {
    ...driveCommon,
    model: { type: 'string', optional: true, format: 'urlencoded', maxLength: 120 },
    ssd: b,
    wwn,
  },
};
export const sataFormat: PropertyStringFormat = { name: 'sata', keys: { ...driveCommon, ssd: b, wwn } };
export const scsiFormat: PropertyStringFormat = {
  name: 'scsi',
  keys: {
    ...driveCommon,
    iothread: b,
    product: { type: 'string', optional: true, pattern: '[A-Za-z0-9\\-_\\s]{,16}' },
    queues: { type: 'integer', optional: true, minimum: 2 },
    ro: b,
    scsiblock: b,
    ssd: b,
    vendor: { type: 'string', optional: true, pattern: '[A-Za-z0-9\\-_\\s]{,8}' },
    wwn,
  },
};
export const virtioFormat: PropertyStringFormat = { name: 'virtio', keys: { ...driveCommon, iothread: b, ro: b } };

export const efidiskFormat: PropertyStringFormat = {
  name: 'efidisk',
  keys: {
    file: driveCommon.file as PropertyKeyDef,
    volume: alias('file'),
    efitype: e(['2m', '4m']),
    format: driveCommon.format as PropertyKeyDef,
    'import-from': driveCommon['import-from'] as PropertyKeyDef,
    'ms-cert': e(['2011', '2023', '2023w', '2023k']),
    'pre-enrolled-keys': b,
    size: driveCommon.size as PropertyKeyDef,
  },
};

export const tpmstateFormat: PropertyStringFormat = {
  name: 'tpmstate',
  keys: {
    file: driveCommon.file as PropertyKeyDef,
    volume: alias('file'),
    format: e(['raw', 'qcow2', 'vmdk']),
    'import-from': driveCommon['import-from'] as PropertyKeyDef,
    size: driveCommon.size as PropertyKeyDef,
    version: e(['v1.2', 'v2.0']),
  },
};

export const unusedFormat: PropertyStringFormat = {
  name: 'unused',
  keys: { file: { type: 'string', defaultKey: true, format: 'pve-volume-id' }, volume: alias('file') },
};

export const agentFormat: PropertyStringFormat = {
  name: 'agent',
  keys: {
    enabled: { type: 'boolean', defaultKey: true },
    'freeze-fs': b,
    'freeze-fs-on-backup': alias('freeze-fs'),
    'guest-fsfreeze': alias('freeze-fs'),
    fstrim_cloned_disks: b,
    type: e(['virtio', 'isa']),
  },
};

export const vgaFormat: PropertyStringFormat = {
  name: 'vga',
  keys: {
    type: {
      type: 'string',
      defaultKey: true,
      optional: true,
      enum: [
        'cirrus',
        'qxl',
        'qxl2',
        'qxl3',
        'qxl4',
        'none',
        'serial0',
        'serial1',
        'serial2',
        'serial3',
        'std',
        'virtio',
        'virtio-gl',
        'vmware',
      ],
    },
    clipboard: e(['vnc']),
    memory: { type: 'integer', optional: true, minimum: 4, maximum: 512 },
  },
};

export const machineFormat: PropertyStringFormat = {
  name: 'machine',
  keys: {
    type: {
      type: 'string',
      defaultKey: true,
      optional: true,
      maxLength: 40,
      pattern:
        '(pc|pc(-i440fx)?-\\d+(\\.\\d+)+(\\+pve\\d+)?(\\.pxe)?|q35|pc-q35-\\d+(\\.\\d+)+(\\+pve\\d+)?(\\.pxe)?|virt(?:-\\d+(\\.\\d+)+)?(\\+pve\\d+)?)',
    },
    'aw-bits': { type: 'number', optional: true, minimum: 32, maximum: 64 },
    'enable-s3': b,
    'enable-s4': b,
    viommu: e(['intel', 'virtio']),
  },
};

export const audioFormat: PropertyStringFormat = {
  name: 'audio0',
  keys: {
    device: { type: 'string', enum: ['ich9-intel-hda', 'intel-hda', 'AC97'] },
    driver: e(['spice', 'none']),
  },
};

export const ivshmemFormat: PropertyStringFormat = {
  name: 'ivshmem',
  keys: { size: { type: 'integer', minimum: 1 }, name: { type: 'string', optional: true, pattern: '[a-zA-Z0-9\\-]+' } },
};

export const numaFormat: PropertyStringFormat = {
  name: 'numa',
  keys: {
    cpus: { type: 'string', pattern: ID_LIST },
    hostnodes: { type: 'string', optional: true, pattern: ID_LIST },
    memory: n,
    policy: e(['preferred', 'bind', 'interleave']),
  },
};

export const spiceEnhancementsFormat: PropertyStringFormat = {
  name: 'spice_enhancements',
  keys: { foldersharing: b, videostreaming: e(['off', 'all', 'filter']) },
};

export const usbFormat: PropertyStringFormat = {
  name: 'usb',
  keys: {
    host: {
      type: 'string',
      defaultKey: true,
      optional: true,
      pattern:
        '(?^:(?:(?:(?^:(0x)?([0-9A-Fa-f]{4}):(0x)?([0-9A-Fa-f]{4})))|(?:(?^:(\\d+)\\-(\\d+(\\.\\d+)*)))|[Ss][Pp][Ii][Cc][Ee]))',
    },
    mapping: { type: 'string', optional: true, format: 'pve-configid' },
    usb3: b,
  },
};

export const virtiofsFormat: PropertyStringFormat = {
  name: 'virtiofs',
  keys: {
    dirid: { type: 'string', defaultKey: true, format: 'pve-configid' },
    cache: e(['auto', 'always', 'metadata', 'never']),
    'direct-io': b,
    'expose-acl': b,
    'expose-xattr': b,
  },
};

export const ipconfigFormat: PropertyStringFormat = {
  name: 'pve-qm-ipconfig',
  keys: {
    ip: { type: 'string', optional: true, format: 'pve-ipv4-config' },
    gw: { type: 'string', optional: true, format: 'ipv4' },
    ip6: { type: 'string', optional: true, format: 'pve-ipv6-config' },
    gw6: { type: 'string', optional: true, format: 'ipv6' },
  },
};

export const bootFormat: PropertyStringFormat = {
  name: 'pve-qm-boot',
  keys: {
    legacy: { type: 'string', defaultKey: true, optional: true, pattern: '[acdn]{1,4}' },
    order: { type: 'string', optional: true },
  },
};

export const cpuFormat: PropertyStringFormat = {
  name: 'pve-vm-cpu-conf',
  keys: {
    cputype: { type: 'string', defaultKey: true, optional: true },
    flags: s,
    'guest-phys-bits': { type: 'integer', optional: true, minimum: 32, maximum: 64 },
    hidden: b,
    'hv-vendor-id': s,
    'phys-bits': s,
    'reported-model': s,
  },
};

export const fleecingFormat: PropertyStringFormat = {
  name: 'backup-fleecing',
  keys: { enabled: { type: 'boolean', defaultKey: true, optional: true }, storage: { ...s, format: 'pve-storage-id' } },
};

export const performanceFormat: PropertyStringFormat = {
  name: 'backup-performance',
  keys: { 'max-workers': { ...min1, maximum: 256 }, 'pbs-entries-max': { ...min1 } },
};

export const pruneBackupsFormat: PropertyStringFormat = {
  name: 'prune-backups',
  keys: {
    'keep-all': b,
    'keep-daily': min1,
    'keep-hourly': min1,
    'keep-last': min1,
    'keep-monthly': min1,
    'keep-weekly': min1,
    'keep-yearly': min1,
  },
};

/** Hash formats that operations reference by name rather than inline. */
export const namedPropertyFormats: Readonly<Record<string, PropertyStringFormat>> = {
  'pve-qm-ipconfig': ipconfigFormat,
  'pve-qm-boot': bootFormat,
  'pve-vm-cpu-conf': cpuFormat,
  'backup-fleecing': fleecingFormat,
  'backup-performance': performanceFormat,
  'prune-backups': pruneBackupsFormat,
};
