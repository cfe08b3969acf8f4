/**
 * Our own, hand-written description of each operation's parameters. It mirrors the shape of
 * Proxmox's JSON schema closely enough that `conformance.test.ts` can compare the two field by
 * field, but it is written here, not generated (the schema files are AGPL test data).
 */
export type ParamType = 'string' | 'integer' | 'number' | 'boolean' | 'array';

export interface ParamDef {
  readonly type: ParamType;
  readonly optional?: boolean;
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Anchored like Perl's `m/^$pattern$/`. */
  readonly pattern?: string;
  /** A named format (`pve-vmid`, `pve-node`, `pve-configid-list`, ...), see formats.ts. */
  readonly format?: string;
  /** An inline property-string format (Proxmox's hash formats such as `net[n]` or `memory`). */
  readonly propertyString?: PropertyStringFormat;
  /** For collapsed keys such as `net[n]`: the highest index accepted (BEHAVIOUR.md, Schema caveats). */
  readonly maxIndex?: number;
  readonly default?: string | number;
}

export interface ParamSpec {
  readonly properties: Readonly<Record<string, ParamDef>>;
  /** Proxmox declares `additionalProperties: 0` on every operation we serve. */
  readonly additionalProperties?: boolean;
}

export interface PropertyKeyDef {
  readonly type?: 'string' | 'integer' | 'number' | 'boolean';
  readonly optional?: boolean;
  readonly defaultKey?: boolean;
  /** This key is another name for `alias`. */
  readonly alias?: string;
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly maxLength?: number;
}

export interface PropertyStringFormat {
  readonly name: string;
  readonly keys: Readonly<Record<string, PropertyKeyDef>>;
}

export type ParamValue = string | number | boolean | readonly string[];
export type Params = Record<string, ParamValue | undefined>;
