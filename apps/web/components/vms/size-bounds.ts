import { LIMITS, type CatalogTemplate } from '@uni-manager/contracts';

export interface SizeBounds {
  cores: { min: number; max: number };
  memoryMib: { min: number; max: number; step: number };
  diskGib: { min: number; max: number };
}

/** Proxmox takes memory in MiB; the contract asks for whole steps of this. */
export const MEMORY_STEP_MIB = 128;

/**
 * What a size may be: the template's bounds, with the disk's floor at
 * `diskFloor` since disks only grow. Without the template (removed, or hidden
 * from the catalog) the platform's limits apply and the API has the last word.
 */
export function boundsOf(template: Pick<CatalogTemplate, 'bounds'> | null, diskFloor: number): SizeBounds {
  if (!template) {
    return {
      cores: LIMITS.cores,
      memoryMib: { ...LIMITS.memoryMib, step: MEMORY_STEP_MIB },
      diskGib: { min: diskFloor, max: Math.max(diskFloor, LIMITS.diskGib.max) },
    };
  }
  const b = template.bounds;
  return {
    cores: { min: b.minCores, max: b.maxCores },
    memoryMib: { min: b.minMemoryMib, max: b.maxMemoryMib, step: MEMORY_STEP_MIB },
    diskGib: { min: diskFloor, max: Math.max(diskFloor, b.maxDiskGib) },
  };
}
