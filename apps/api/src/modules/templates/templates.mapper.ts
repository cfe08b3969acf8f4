import type { CatalogTemplate, Template } from '@uni-manager/contracts';
import type { TemplateRow } from '../../db/schema/index.js';
import type { SourceWithServer } from './templates.repo.js';

/**
 * Whether a new VM could be cloned from this source now: its server is in
 * use, not in maintenance, and neither it nor the node was last seen offline.
 * A server or node the monitor has not checked yet gets the benefit of the doubt.
 */
export function sourceAvailable(s: SourceWithServer): boolean {
  return s.serverEnabled && !s.serverMaintenance && s.serverHealth !== 'offline' && s.nodeHealth !== 'offline';
}

function common(r: TemplateRow) {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    osLabel: r.osLabel,
    osIcon: r.osIcon,
    defaults: { cores: r.cores, memoryMib: r.memoryMib, diskGib: r.diskGib },
    bounds: {
      minCores: r.minCores,
      maxCores: r.maxCores,
      minMemoryMib: r.minMemoryMib,
      maxMemoryMib: r.maxMemoryMib,
      maxDiskGib: r.maxDiskGib,
    },
    cloudInit: r.cloudInit,
    priceRunningPerHour: r.priceRunningPerHour,
    priceStoppedPerHour: r.priceStoppedPerHour,
    unitPrices: {
      perCorePerHour: r.pricePerCoreHour,
      perGibMemoryPerHour: r.pricePerGibMemoryHour,
      perGibDiskPerHour: r.pricePerGibDiskHour,
    },
    visibility: r.visibility,
  };
}

export function toTemplate(r: TemplateRow, sources: SourceWithServer[], vmCount: number): Template {
  return {
    ...common(r),
    sources: sources
      .filter((s) => s.templateId === r.id)
      .map((s) => ({
        id: s.id,
        serverId: s.serverId,
        serverName: s.serverName,
        node: s.node,
        vmid: s.vmid,
        storage: s.storage,
        cloneMode: s.cloneMode,
      })),
    vmCount,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export function toCatalogTemplate(r: TemplateRow, sources: SourceWithServer[]): CatalogTemplate {
  return { ...common(r), available: sources.some((s) => s.templateId === r.id && sourceAvailable(s)) };
}
