/**
 * Named string formats, with the texts pve-common dies with when a value does not fit
 * ([COM] JSONSchema.pm register_format). The validator prefixes them with "invalid format - ".
 */
import { isIP } from 'node:net';
import { parsePropertyString } from './property-string.js';
import { namedPropertyFormats } from './property-formats.js';

export class FormatError extends Error {}

type Verifier = (value: string) => void;

const bad = (message: string): never => {
  throw new FormatError(`${message}\n`);
};

const NODE_RE = /^([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)$/;
const DNS_LABEL = '([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)';
const DNS_RE = new RegExp(`^(${DNS_LABEL}\\.)*${DNS_LABEL}$`);
const CONFIGID_RE = /^[a-z][a-z0-9_-]+$/i;
const TAG_RE = /^[a-z0-9_][a-z0-9_\-+.]*$/i;

const PRIVILEGES = new Set([
  'Datastore.Allocate',
  'Datastore.AllocateSpace',
  'Datastore.AllocateTemplate',
  'Datastore.Audit',
  'Group.Allocate',
  'Mapping.Audit',
  'Mapping.Modify',
  'Mapping.Use',
  'Permissions.Modify',
  'Pool.Allocate',
  'Pool.Audit',
  'Realm.Allocate',
  'Realm.AllocateUser',
  'SDN.Allocate',
  'SDN.Audit',
  'SDN.Use',
  'Sys.AccessNetwork',
  'Sys.Audit',
  'Sys.Console',
  'Sys.Incoming',
  'Sys.Modify',
  'Sys.PowerMgmt',
  'Sys.Syslog',
  'User.Modify',
  'VM.Allocate',
  'VM.Audit',
  'VM.Backup',
  'VM.Clone',
  'VM.Config.CDROM',
  'VM.Config.CPU',
  'VM.Config.Cloudinit',
  'VM.Config.Disk',
  'VM.Config.HWType',
  'VM.Config.Memory',
  'VM.Config.Network',
  'VM.Config.Options',
  'VM.Console',
  'VM.GuestAgent.Audit',
  'VM.GuestAgent.FileRead',
  'VM.GuestAgent.FileSystemMgmt',
  'VM.GuestAgent.FileWrite',
  'VM.GuestAgent.Unrestricted',
  'VM.Migrate',
  'VM.PowerMgmt',
  'VM.Replicate',
  'VM.Snapshot',
  'VM.Snapshot.Rollback',
]);
export const ALL_PRIVILEGES: readonly string[] = [...PRIVILEGES];

const STORAGE_CONTENT = new Set(['images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import']);
const HOTPLUG = new Set(['network', 'disk', 'cpu', 'memory', 'usb', 'cloudinit']);

export function isValidIp(value: string): boolean {
  return isIP(value) !== 0;
}

function isCidr(value: string, family?: 4 | 6): boolean {
  const m = /^(.+)\/(\d{1,3})$/.exec(value);
  if (!m) return false;
  const ip = m[1] as string;
  const bits = Number(m[2]);
  const v = isIP(ip);
  if (v === 0 || (family && v !== family)) return false;
  return v === 4 ? bits >= 0 && bits <= 32 : bits >= 0 && bits <= 128;
}

function storageId(value: string): void {
  if (value.length < 2) bad(`storage ID '${value}' cannot be shorter than 2 characters`);
  if (!/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(value)) bad(`storage ID '${value}' contains illegal characters`);
}

/** `storage:volname`, as PVE::Storage::parse_volume_id accepts it. */
export function parseVolumeId(volid: string): { storage: string; volname: string } | undefined {
  const m = /^([a-z][a-z0-9\-_.]*[a-z0-9]):(.+)$/i.exec(volid);
  return m ? { storage: m[1] as string, volname: m[2] as string } : undefined;
}

const verifiers: Record<string, Verifier> = {
  'pve-vmid': (v) => {
    if (!/^[1-9][0-9]{2,8}$/.test(v)) bad('value does not look like a valid VM ID');
  },
  'pve-node': (v) => {
    if (!NODE_RE.test(v)) bad('value does not look like a valid node name');
  },
  'pve-storage-id': storageId,
  'pve-configid': (v) => {
    if (!CONFIGID_RE.test(v)) bad(`invalid configuration ID '${v}'`);
  },
  'dns-name': (v) => {
    if (!DNS_RE.test(v)) bad('value does not look like a valid DNS name');
  },
  urlencoded: (v) => {
    if (!/^[-%a-zA-Z0-9_.!~*'()]*$/.test(v)) bad(`invalid urlencoded string: ${v}`);
  },
  'pve-poolid': (v) => {
    if (!/^[A-Za-z0-9.\-_]+$/.test(v)) bad(`invalid pool ID '${v}'`);
  },
  'pve-tag': (v) => {
    if (!TAG_RE.test(v)) bad('invalid characters in tag');
  },
  'pve-bridge-id': (v) => {
    if (!/^[-_.\w\d]+$/.test(v)) bad(`invalid bridge ID '${v}'`);
  },
  'mac-addr': (v) => {
    const m = /^([0-9a-f]{2})(:[0-9a-f]{2}){5}$/i.exec(v);
    if (!m || (parseInt(m[1] as string, 16) & 1) === 1) bad('value does not look like a valid unicast MAC address');
  },
  'disk-size': (v) => {
    if (!/^(\d+(\.\d+)?)([KMGT](?:iB)?)?$/.test(v)) bad(`value does not look like a valid disk size: ${v}`);
  },
  ip: (v) => {
    if (!isValidIp(v)) bad('value does not look like a valid IP address');
  },
  ipv4: (v) => {
    if (isIP(v) !== 4) bad('value does not look like a valid IPv4 address');
  },
  ipv6: (v) => {
    if (isIP(v) !== 6) bad('value does not look like a valid IPv6 address');
  },
  address: (v) => {
    if (!isValidIp(v) && !DNS_RE.test(v)) bad(`value does not look like a valid address: ${v}`);
  },
  CIDR: (v) => {
    if (!isCidr(v)) bad('value does not look like a valid CIDR network');
  },
  'pve-ipv4-config': (v) => {
    if (!/^(dhcp|manual)$/.test(v) && !isCidr(v, 4)) bad('value does not look like a valid ipv4 network configuration');
  },
  'pve-ipv6-config': (v) => {
    if (!/^(auto|dhcp|manual)$/.test(v) && !isCidr(v, 6))
      bad('value does not look like a valid ipv6 network configuration');
  },
  'pve-realm': (v) => {
    if (!/^[A-Za-z][A-Za-z0-9.\-_]+$/.test(v)) bad(`invalid realm name '${v}'`);
  },
  'pve-priv': (v) => {
    if (!PRIVILEGES.has(v)) bad(`invalid privilege '${v}'`);
  },
  'pve-storage-content': (v) => {
    if (!STORAGE_CONTENT.has(v)) bad(`invalid content type '${v}'`);
  },
  'pve-task-status-type': (v) => {
    if (!/^(ok|error|warning|unknown)$/i.test(v)) bad(`invalid status '${v}'`);
  },
  'pve-volume-id': (v) => {
    if (!parseVolumeId(v)) bad(`unable to parse volume ID '${v}'`);
  },
  'pve-hotplug-features': (v) => {
    if (v === '0' || v === '1') return;
    for (const f of v.split(',')) if (!HOTPLUG.has(f)) bad(`invalid hotplug feature '${f}'`);
  },
  'pve-startup-order': (v) => {
    for (const p of v.split(',')) {
      if (/^\s*$/.test(p)) continue;
      if (!/^(order=)?\d+$/.test(p) && !/^up=\d+$/.test(p) && !/^down=\d+$/.test(p))
        bad(`unable to parse startup options`);
    }
  },
  'pve-cpuset': (v) => {
    if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(v)) bad(`invalid cpuset '${v}'`);
  },
  'email-or-username': (v) => {
    if (!/^[^\s@]+(@[^\s@]+)?$/.test(v)) bad('value does not look like a valid email address or user name');
  },
};

/** Splits like PVE::Tools::split_list: commas, semicolons, white space and NUL separate items. */
export function splitList(text: string): string[] {
  return text.split(/[,;\s\0]+/).filter((s) => s.length > 0);
}

/** The vmid list of vzdump and friends: numbers separated by commas, semicolons or spaces. */
verifiers['pve-vmid-list'] = (v) => {
  for (const id of splitList(v)) verifiers['pve-vmid']?.(id);
};

/**
 * Checks `value` against a named format, honouring the `-list` and `-opt` suffixes as
 * check_format does. Unknown formats pass: we only promise to validate what we simulate.
 */
export function checkFormat(format: string, value: string, path: string): void {
  const named = namedPropertyFormats[format];
  if (named) {
    parsePropertyString(named, value, path, true);
    return;
  }
  const direct = verifiers[format];
  if (direct) return direct(value);
  const m = /^(.*?)-(list|opt)$/.exec(format);
  if (!m) return;
  const base = verifiers[m[1] as string];
  if (!base) return;
  if (m[2] === 'list') for (const item of splitList(value)) base(item);
  else if (value) base(value);
}
