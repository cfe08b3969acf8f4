/**
 * Property strings: `virtio=BC:24:11:00:00:01,bridge=vmbr0,tag=10`, `local-lvm:vm-100-disk-0,size=32G`.
 * Parsing follows pve-common's parse_property_string: a part without `=` fills the default key,
 * aliases map to their target, booleans accept on/yes/true, and unknown keys are errors.
 */
import type { PropertyStringFormat } from './types.js';
import { FormatError } from './formats.js';
import { checkValue } from './validate.js';

export type PropertyObject = Record<string, string>;

export function parseBooleanWord(value: string): string | undefined {
  if (/^(1|on|yes|true)$/i.test(value)) return '1';
  if (/^(0|off|no|false)$/i.test(value)) return '0';
  return undefined;
}

/**
 * Parses `data` with `format`. With `validate`, also type-checks every key and reports errors the
 * way check_object does ("format error" followed by one `path.key: message` line per problem).
 * Throws FormatError with Proxmox's text either way.
 */
export function parsePropertyString(
  format: PropertyStringFormat,
  data: string,
  path = '',
  validate = false,
): PropertyObject {
  const res: PropertyObject = {};
  /** Keys set through an alias that also names the model (net's `virtio=MAC`). */
  let defaultKey: string | undefined;
  for (const part of data.split(',')) {
    if (/^\s*$/.test(part)) continue;
    const kv = /^([^=]+)=(.+)$/.exec(part);
    if (kv) {
      let key = kv[1] as string;
      let value = kv[2] as string;
      if (res[key] !== undefined) throw new FormatError(`duplicate key in comma-separated list property: ${key}\n`);
      let def = format.keys[key];
      if (def?.alias) {
        const target = def.alias;
        // net's `virtio=MAC` both selects the model and sets the MAC address.
        if (target === 'macaddr' && format.keys.model) {
          if (res.model !== undefined) throw new FormatError(`key alias 'model' is already defined\n`);
          res.model = key;
        }
        key = target;
        def = format.keys[key];
        if (res[key] !== undefined) throw new FormatError(`key '${key}' is already defined (via alias)\n`);
      }
      if (!def) throw new FormatError(`invalid key in comma-separated list property: ${key}\n`);
      if (def.type === 'boolean') value = parseBooleanWord(value) ?? value;
      res[key] = value;
    } else if (!part.includes('=')) {
      if (defaultKey) throw new FormatError(`duplicate key in comma-separated list property: ${defaultKey}\n`);
      const dk = Object.entries(format.keys).find(([, d]) => d.defaultKey)?.[0];
      if (!dk) throw new FormatError('value without key, but schema does not define a default key\n');
      defaultKey = dk;
      if (res[dk] !== undefined) throw new FormatError(`duplicate key in comma-separated list property: ${dk}\n`);
      const def = format.keys[dk];
      res[dk] = def?.type === 'boolean' ? (parseBooleanWord(part) ?? part) : part;
    } else {
      throw new FormatError('missing key in comma-separated list property\n');
    }
  }
  if (validate) {
    const errors: Record<string, string> = {};
    for (const [key, def] of Object.entries(format.keys)) {
      if (def.alias) continue;
      checkValue(def, res[key], path ? `${path}.${key}` : key, errors);
    }
    // PVE::Exception::stringify appends a newline to each error, even one that has its own.
    const lines = Object.entries(errors).map(([k, v]) => `${k}: ${v}\n`);
    if (lines.length > 0) throw new FormatError(`format error\n${lines.join('')}`);
  }
  return res;
}

/** Lenient parse for values we wrote ourselves (configs): never throws, keeps what it can read. */
export function readPropertyString(format: PropertyStringFormat, data: string | undefined): PropertyObject {
  if (!data) return {};
  try {
    return parsePropertyString(format, data);
  } catch {
    return {};
  }
}

/**
 * Prints like print_property_string: the default key's bare value first, then the other keys in
 * alphabetical order.
 */
export function printPropertyString(obj: PropertyObject, defaultKey?: string): string {
  const parts: string[] = [];
  if (defaultKey && obj[defaultKey] !== undefined) parts.push(obj[defaultKey]);
  for (const key of Object.keys(obj).sort()) {
    if (key === defaultKey || obj[key] === undefined) continue;
    parts.push(`${key}=${obj[key]}`);
  }
  return parts.join(',');
}
