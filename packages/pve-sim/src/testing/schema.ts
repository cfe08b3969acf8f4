/**
 * Reading Proxmox's official API schema at test time, and a small JSON-schema checker for the
 * subset Proxmox uses in `returns`. The schema files are AGPL data: they stay outside the
 * repository and are read from PVE_SCHEMA_DIR (default: <repo>/../shared/pve).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { perlPattern } from '../params/validate.js';

export interface SchemaProp {
  type?: string;
  optional?: number | boolean;
  enum?: string[];
  minimum?: number | string;
  maximum?: number | string;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  format?: string | Record<string, SchemaProp>;
  properties?: Record<string, SchemaProp>;
  items?: SchemaProp;
  additionalProperties?: number | boolean | SchemaProp;
  default_key?: number;
  alias?: string;
  [k: string]: unknown;
}

export interface SchemaOperation {
  name: string;
  method: string;
  allowtoken?: number;
  proxyto?: string;
  protected?: number;
  permissions?: { user?: string; check?: unknown[]; description?: string };
  parameters?: SchemaProp;
  returns?: SchemaProp;
}

export type KeyEndpoints = Record<string, Record<string, SchemaOperation>>;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export function schemaDir(): string {
  return process.env.PVE_SCHEMA_DIR
    ? path.resolve(process.env.PVE_SCHEMA_DIR)
    : path.resolve(repoRoot, '../shared/pve');
}

export const KEY_ENDPOINTS_FILE = 'key-endpoints.pve9.1.json';

export function loadKeyEndpoints(): KeyEndpoints | undefined {
  const file = path.join(schemaDir(), KEY_ENDPOINTS_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as KeyEndpoints;
}

export const FULL_SCHEMA_FILE = 'pve-api-schema.pve9.1.json';

interface SchemaNode {
  path?: string;
  info?: Record<string, SchemaOperation>;
  children?: SchemaNode[];
}

/**
 * Every operation of the full 9.1 schema, by path and method, for the few
 * endpoints the simulator implements beyond the key-endpoints file (such as
 * /access/permissions, which the product's connection test uses).
 */
export function loadFullSchema(): KeyEndpoints | undefined {
  const file = path.join(schemaDir(), FULL_SCHEMA_FILE);
  if (!existsSync(file)) return undefined;
  const tree = JSON.parse(readFileSync(file, 'utf8')) as SchemaNode[] | SchemaNode;
  const out: KeyEndpoints = {};
  const walk = (n: SchemaNode) => {
    if (n.path && n.info) out[n.path] = n.info;
    for (const c of n.children ?? []) walk(c);
  };
  for (const n of Array.isArray(tree) ? tree : [tree]) walk(n);
  return out;
}

export interface CheckOptions {
  /** Accept a numeric string where the schema says integer (`/cluster/nextid`, BEHAVIOUR.md). */
  integerAsString?: boolean;
}

const isOptional = (p: SchemaProp) => p.optional === 1 || p.optional === true;

/** The definition governing `key` in an object schema, expanding collapsed keys (`net0` → `net[n]`). */
function propFor(props: Record<string, SchemaProp>, key: string): SchemaProp | undefined {
  if (props[key]) return props[key];
  const m = /^([a-z_]+?)(\d+)$/.exec(key);
  return m ? props[`${m[1]}[n]`] : undefined;
}

/**
 * Checks `value` against a `returns` schema; returns the problems found (empty when it fits).
 * Booleans may be 0/1: Perl's JSON encoder sends them so, e.g. `template` in /cluster/resources
 * (BEHAVIOUR.md, Schema caveats).
 */
export function checkValue(
  schema: SchemaProp | undefined,
  value: unknown,
  where: string,
  opts: CheckOptions = {},
): string[] {
  if (!schema) return [];
  const errors: string[] = [];
  const type = schema.type;
  const fail = (msg: string) => errors.push(`${where || '(root)'}: ${msg}`);
  if (value === null || value === undefined) {
    if (type !== 'null' && type !== undefined && type !== 'any') fail(`expected ${type}, got ${String(value)}`);
    return errors;
  }
  switch (type) {
    case 'null':
      fail(`expected null, got ${JSON.stringify(value)}`);
      return errors;
    case 'string':
      if (typeof value !== 'string') fail(`expected string, got ${JSON.stringify(value)}`);
      break;
    case 'integer':
      if (
        !(typeof value === 'number' && Number.isInteger(value)) &&
        !(opts.integerAsString && typeof value === 'string' && /^\d+$/.test(value))
      ) {
        fail(`expected integer, got ${JSON.stringify(value)}`);
      }
      break;
    case 'number':
      if (typeof value !== 'number') fail(`expected number, got ${JSON.stringify(value)}`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean' && value !== 0 && value !== 1)
        fail(`expected boolean, got ${JSON.stringify(value)}`);
      break;
    case 'array':
      if (!Array.isArray(value)) {
        fail(`expected array, got ${typeof value}`);
        return errors;
      }
      value.forEach((item, i) => errors.push(...checkValue(schema.items, item, `${where}[${i}]`, opts)));
      return errors;
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        fail(`expected object, got ${JSON.stringify(value)}`);
        return errors;
      }
      const obj = value as Record<string, unknown>;
      const props = schema.properties ?? {};
      for (const [k, p] of Object.entries(props)) {
        if (k.endsWith('[n]')) continue;
        if (obj[k] === undefined && !isOptional(p)) fail(`missing property '${k}'`);
      }
      for (const [k, v] of Object.entries(obj)) {
        const p = propFor(props, k);
        if (p) errors.push(...checkValue(p, v, where ? `${where}.${k}` : k, opts));
        else if (schema.additionalProperties === 0 || schema.additionalProperties === false)
          fail(`property '${k}' not allowed`);
      }
      return errors;
    }
    default:
      return errors;
  }
  if (schema.enum && !schema.enum.includes(String(value)))
    fail(`'${String(value)}' not in enum ${schema.enum.join(',')}`);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < Number(schema.minimum))
      fail(`${value} below minimum ${schema.minimum}`);
    if (schema.maximum !== undefined && value > Number(schema.maximum))
      fail(`${value} above maximum ${schema.maximum}`);
  }
  if (typeof value === 'string' && schema.pattern && !perlPattern(schema.pattern).test(value))
    fail(`'${value}' does not match ${schema.pattern}`);
  return errors;
}

/** A value the schema would accept for a parameter, built from the schema alone. */
export function sampleValue(name: string, p: SchemaProp): string | undefined {
  if (p.enum) return p.enum[0];
  if (p.type === 'boolean') return '1';
  if (p.type === 'integer' || p.type === 'number') {
    if (p.format === 'pve-vmid') return '100';
    const min = p.minimum !== undefined ? Number(p.minimum) : undefined;
    const max = p.maximum !== undefined ? Number(p.maximum) : undefined;
    let v = min ?? 1;
    if (max !== undefined && v > max) v = max;
    return String(v);
  }
  if (p.type === 'array') return 'x';
  if (p.type !== 'string') return undefined;
  if (typeof p.format === 'object') return sampleDict(p.format);
  const byFormat: Record<string, string> = {
    'pve-node': 'pve1',
    'pve-vmid-list': '100',
    'pve-storage-id': 'local',
    'pve-configid': 'snap1',
    'pve-configid-list': 'description',
    'dns-name': 'vm1',
    'pve-poolid': 'pool1',
    'pve-realm': 'pam',
    'pve-priv-list': 'VM.Audit',
    'pve-storage-content': 'iso',
    'pve-task-status-type-list': 'ok',
    urlencoded: 'abc',
    CIDR: '10.0.0.0/24',
    'pve-tag-list': 'tag1',
    'address-list': '1.1.1.1',
    'email-or-username-list': 'root@pam',
    'pve-qm-ipconfig': 'ip=dhcp',
    'pve-qm-boot': 'order=scsi0',
    'pve-vm-cpu-conf': 'host',
    'pve-hotplug-features': 'network,disk',
    'pve-startup-order': 'order=1',
    'pve-cpuset': '0-1',
    'pve-volume-id': 'local:iso/x.iso',
    'backup-fleecing': 'enabled=1',
    'backup-performance': 'max-workers=2',
    'prune-backups': 'keep-last=3',
  };
  if (typeof p.format === 'string' && byFormat[p.format]) return byFormat[p.format];
  if (p.pattern) {
    const candidates = [
      'now',
      'scsi0',
      '+1G',
      '10G',
      'net0=1500',
      '/dev/parport0',
      'socket',
      'job1',
      '1',
      'q35',
      'spice',
      '0123abcd-0123-4567-89ab-0123456789ab',
    ];
    return candidates.find((c) => perlPattern(p.pattern as string).test(c));
  }
  if (name === 'password') return 'secret';
  return 'test';
}

function sampleDict(format: Record<string, SchemaProp>): string | undefined {
  const parts: string[] = [];
  for (const [k, p] of Object.entries(format)) {
    if (p.alias || (isOptional(p) && !p.default_key)) continue;
    const v = sampleValue(k, p) ?? 'x';
    const value =
      k === 'file' ? 'local:iso/x.iso' : k === 'model' ? 'virtio' : k === 'current' ? '1024' : k === 'cpus' ? '0' : v;
    parts.push(p.default_key ? value : `${k}=${value}`);
  }
  return parts.join(',');
}

/** A value of the wrong type, or out of range, and the error key it must produce. */
export function invalidValue(p: SchemaProp): string | undefined {
  if (p.type === 'integer' || p.type === 'number') return 'not-a-number';
  if (p.type === 'boolean') return 'maybe';
  if (p.enum) return 'no-such-value';
  if (p.maxLength !== undefined) return 'x'.repeat(p.maxLength + 1);
  if (
    typeof p.format === 'string' &&
    ['pve-node', 'pve-storage-id', 'pve-configid', 'dns-name', 'pve-vmid-list'].includes(p.format)
  )
    return '-bad-';
  return undefined;
}
