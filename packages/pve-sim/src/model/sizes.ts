/** Sizes the way Proxmox writes them: powers of 1024, `32G`, `512M` ([COM] JSONSchema.pm parse_size). */
export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;

export function parseSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)([KMGT](?:iB)?)?$/.exec(value);
  if (!m) return undefined;
  const unit = (m[2] ?? '').charAt(0);
  const factor = unit === 'K' ? KiB : unit === 'M' ? MiB : unit === 'G' ? GiB : unit === 'T' ? TiB : 1;
  return Math.trunc(Number(m[1]) * factor);
}

/** Inverse of parseSize, choosing the largest exact unit (format_size). */
export function formatSize(bytes: number): string {
  const units = ['', 'K', 'M', 'G', 'T'];
  let size = Math.trunc(bytes);
  let i = 0;
  while (i < units.length - 1 && size !== 0 && size % 1024 === 0) {
    size /= 1024;
    i++;
  }
  return `${size}${units[i]}`;
}

/** "10.0 GiB", as qemu-img and drive-mirror progress lines print sizes. */
export function humanSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}
