import type { ParamDef, PropertyStringFormat } from './types.js';

type Extra = Omit<ParamDef, 'type'>;

export const str = (extra: Extra = {}): ParamDef => ({ type: 'string', ...extra });
export const int = (extra: Extra = {}): ParamDef => ({ type: 'integer', ...extra });
export const num = (extra: Extra = {}): ParamDef => ({ type: 'number', ...extra });
export const bool = (extra: Extra = {}): ParamDef => ({ type: 'boolean', ...extra });
export const arr = (extra: Extra = {}): ParamDef => ({ type: 'array', ...extra });
export const opt = (def: ParamDef): ParamDef => ({ ...def, optional: true });
export const optStr = (extra: Extra = {}): ParamDef => opt(str(extra));
export const optInt = (extra: Extra = {}): ParamDef => opt(int(extra));
export const optNum = (extra: Extra = {}): ParamDef => opt(num(extra));
export const optBool = (extra: Extra = {}): ParamDef => opt(bool(extra));
export const enumOf = (values: readonly string[], extra: Extra = {}): ParamDef => str({ enum: values, ...extra });
export const optEnum = (values: readonly string[], extra: Extra = {}): ParamDef => opt(enumOf(values, extra));
export const dict = (format: PropertyStringFormat, extra: Extra = {}): ParamDef =>
  str({ propertyString: format, ...extra });

/** Proxmox's standard options (pve-common's register_standard_option), as they appear on the wire. */
export const std = {
  node: str({ format: 'pve-node' }),
  vmid: int({ format: 'pve-vmid', minimum: 100, maximum: 999999999 }),
  storage: str({ format: 'pve-storage-id' }),
  snapname: str({ format: 'pve-configid', maxLength: 40 }),
  digest: optStr({ maxLength: 40 }),
  skiplock: optBool(),
  upid: str(),
  bwlimit: optInt({ minimum: 0 }),
  timeout: optInt({ minimum: 0 }),
} as const;

/** Disk keys a resize or template call may name (ide0-3, scsi0-30, virtio0-15, sata0-5, efidisk0, tpmstate0). */
export const diskKeys: readonly string[] = [
  ...range(4).map((i) => `ide${i}`),
  ...range(31).map((i) => `scsi${i}`),
  ...range(16).map((i) => `virtio${i}`),
  ...range(6).map((i) => `sata${i}`),
  'efidisk0',
  'tpmstate0',
];

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
