/**
 * Parameter verification as pve-common's JSONSchema.pm does it ([COM] JSONSchema.pm:1170-1690):
 * the same order of checks (type, format, pattern, length, range, enum), the same texts, every
 * problem collected into one 400 "Parameter verification failed." with an `errors` object.
 */
import { paramError } from '../http/errors.js';
import { checkFormat, FormatError } from './formats.js';
import { parsePropertyString } from './property-string.js';
import type { ParamDef, Params, ParamSpec, ParamValue, PropertyKeyDef } from './types.js';

type AnyDef = ParamDef | PropertyKeyDef;

const isNumber = (v: string) => /^[+-]?(\d+\.\d+|\d+\.|\.\d+|\d+)([eE][+-]?\d+)?$/.test(v);
const isInteger = (v: string) => /^[+-]?\d+$/.test(v);

const patternCache = new Map<string, RegExp>();
/** Perl patterns as the schema prints them (`(?^:…)`, `{,16}`) turned into anchored JS regexes. */
export function perlPattern(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    const js = pattern.replace(/\(\?\^:/g, '(?:').replace(/\{,(\d+)\}/g, '{0,$1}');
    re = new RegExp(`^(?:${js})$`);
    patternCache.set(pattern, re);
  }
  return re;
}

function addError(errors: Record<string, string>, path: string, msg: string): void {
  const key = path || '_root';
  errors[key] = errors[key] ? `${errors[key]}\\n${msg}` : msg;
}

/** What Perl's `ref()` would say about a decoded JSON value, for "got HASH"-style texts. */
function perlRef(value: unknown): string | undefined {
  if (Array.isArray(value)) return 'ARRAY';
  if (typeof value === 'boolean') return 'JSON::PP::Boolean';
  if (value !== null && typeof value === 'object') return 'HASH';
  return undefined;
}

/**
 * Checks one value and returns it converted (numbers for integer/number, booleans for boolean),
 * or undefined when absent or invalid (errors then holds the reason).
 */
export function checkValue(def: AnyDef, value: unknown, path: string, errors: Record<string, string>): unknown {
  if (value === undefined || value === null) {
    if (!def.optional) addError(errors, path, 'property is missing and it is not optional');
    return undefined;
  }
  const type = def.type;
  const ref = perlRef(value);
  if (type === 'array') {
    if (Array.isArray(value)) return value.map(String);
    // Form posts carry repeated keys as one value; accept a plain string as a one-element list.
    if (ref) {
      addError(errors, path, `type check ('array') failed`);
      return undefined;
    }
    return [String(value)];
  }
  if (ref) {
    if (type === 'boolean' && typeof value === 'boolean') return value;
    addError(errors, path, `type check ('${type ?? 'string'}') failed - got ${ref}`);
    return undefined;
  }
  const text = String(value);
  if (type === 'boolean' && text !== '1' && text !== '0') {
    addError(errors, path, `type check ('boolean') failed - got '${text}'`);
    return undefined;
  }
  if (type === 'integer' && !isInteger(text)) {
    addError(errors, path, `type check ('integer') failed - got '${text}'`);
    return undefined;
  }
  if (type === 'number' && !isNumber(text)) {
    addError(errors, path, `type check ('number') failed - got '${text}'`);
    return undefined;
  }
  const propertyString = 'propertyString' in def ? def.propertyString : undefined;
  try {
    if (propertyString) parsePropertyString(propertyString, text, path, true);
    else if (def.format) checkFormat(def.format, text, path);
  } catch (err) {
    if (!(err instanceof FormatError)) throw err;
    addError(errors, path, `invalid format - ${err.message}`);
    return undefined;
  }
  if (def.pattern && !perlPattern(def.pattern).test(text)) {
    addError(errors, path, 'value does not match the regex pattern');
    return undefined;
  }
  const maxLength = 'maxLength' in def ? def.maxLength : undefined;
  const minLength = 'minLength' in def ? def.minLength : undefined;
  if (maxLength !== undefined && text.length > maxLength) {
    addError(errors, path, `value may only be ${maxLength} characters long`);
    return undefined;
  }
  if (minLength !== undefined && text.length < minLength) {
    addError(errors, path, `value must be at least ${minLength} characters long`);
    return undefined;
  }
  if (isNumber(text)) {
    const v = Number(text);
    if (def.maximum !== undefined && v > Number(def.maximum)) {
      addError(errors, path, `value must have a maximum value of ${def.maximum}`);
      return undefined;
    }
    if (def.minimum !== undefined && v < Number(def.minimum)) {
      addError(errors, path, `value must have a minimum value of ${def.minimum}`);
      return undefined;
    }
  }
  if (def.enum && !def.enum.includes(text)) {
    addError(errors, path, `value '${text}' does not have a value in the enumeration '${def.enum.join(', ')}'`);
    return undefined;
  }
  if (type === 'integer' || type === 'number') return Number(text);
  if (type === 'boolean') return text === '1';
  return text;
}

/** The spec entry that governs `key`, expanding collapsed keys such as `net[n]` to net0..net31. */
export function lookupParam(spec: ParamSpec, key: string): ParamDef | undefined {
  const direct = spec.properties[key];
  if (direct && direct.maxIndex === undefined) return direct;
  const m = /^([a-z_]+?)(\d+)$/i.exec(key);
  if (!m) return undefined;
  const def = spec.properties[`${m[1]}[n]`];
  if (!def || def.maxIndex === undefined) return undefined;
  const index = Number(m[2]);
  // "net01" is not net1: only canonical decimal indexes exist in the expanded schema.
  if (String(index) !== m[2] || index > def.maxIndex) return undefined;
  return def;
}

/** Validates a request's merged parameters; throws the 400 PveError on any problem. */
export function validateParams(spec: ParamSpec, raw: Readonly<Record<string, unknown>>): Params {
  const errors: Record<string, string> = {};
  const out: Params = {};
  for (const [key, def] of Object.entries(spec.properties)) {
    if (def.maxIndex !== undefined) continue;
    const v = checkValue(def, raw[key], key, errors);
    if (v !== undefined) out[key] = v as ParamValue;
  }
  for (const [key, value] of Object.entries(raw)) {
    if (spec.properties[key] && spec.properties[key].maxIndex === undefined) continue;
    const def = lookupParam(spec, key);
    if (def) {
      const v = checkValue(def, value, key, errors);
      if (v !== undefined) out[key] = v as ParamValue;
      continue;
    }
    if (spec.additionalProperties === false || spec.additionalProperties === undefined) {
      addError(errors, key, 'property is not defined in schema and the schema does not allow additional properties');
    } else {
      out[key] = String(value);
    }
  }
  if (Object.keys(errors).length > 0) throw paramError(errors);
  return out;
}
