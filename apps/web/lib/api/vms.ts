import {
  bulkActionResultSchema,
  operationPageSchema,
  operationResponseSchema,
  paths,
  vmMetricsSchema,
  vmPageSchema,
  vmSchema,
  vmSummarySchema,
  vmWithOperationSchema,
  type AdminListVmsQuery,
  type bulkActions,
  type BulkActionResult,
  type CreateVmBody,
  type ListVmsQuery,
  type metricsRanges,
  type ResizeBody,
  type Vm,
  type VmMetrics,
  type VmOperation,
  type VmPage,
  type VmSummary,
  type VmWithOperation,
} from '@uni-manager/contracts';
import type { z } from 'zod';
import { apiRequest } from './http';

export type MetricsRange = (typeof metricsRanges)[number];
export type BulkAction = (typeof bulkActions)[number];
export type OperationPage = z.infer<typeof operationPageSchema>;

/** The actions that take no settings: one POST each, answered with the queued operation. */
export type PowerAction = 'start' | 'stop' | 'reboot' | 'suspend' | 'resume';

const powerPaths: Record<PowerAction, string> = {
  start: paths.vmStart,
  stop: paths.vmStop,
  reboot: paths.vmReboot,
  suspend: paths.vmSuspend,
  resume: paths.vmResume,
};

export interface ShutdownOptions {
  timeoutSeconds?: number;
  forceStop?: boolean;
}

/** The caller's own VMs. */
export function fetchVms(query: ListVmsQuery, signal?: AbortSignal): Promise<VmPage> {
  return apiRequest(paths.vms, { query: { ...query }, schema: vmPageSchema, signal });
}

/** The caller's VM counts by power state and status, in one request. */
export function fetchVmSummary(signal?: AbortSignal): Promise<VmSummary> {
  return apiRequest(paths.vmsSummary, { schema: vmSummarySchema, signal });
}

/** Every VM, for administrators; the query also filters by owner and server. */
export function fetchAdminVms(query: AdminListVmsQuery, signal?: AbortSignal): Promise<VmPage> {
  return apiRequest(paths.adminVms, { query: { ...query }, schema: vmPageSchema, signal });
}

export function fetchVm(id: string, signal?: AbortSignal): Promise<Vm> {
  return apiRequest(paths.vm, { params: { id }, schema: vmSchema, signal });
}

/** Answers 202 at once: the VM exists as a record and its create operation is queued. */
export function createVm(body: CreateVmBody): Promise<VmWithOperation> {
  return apiRequest(paths.vms, { method: 'POST', body, schema: vmWithOperationSchema });
}

export async function runPowerAction(id: string, action: PowerAction): Promise<VmOperation> {
  const { operation } = await apiRequest(powerPaths[action], {
    method: 'POST',
    params: { id },
    schema: operationResponseSchema,
  });
  return operation;
}

export async function shutdownVm(id: string, options: ShutdownOptions = {}): Promise<VmOperation> {
  const { operation } = await apiRequest(paths.vmShutdown, {
    method: 'POST',
    params: { id },
    body: options,
    schema: operationResponseSchema,
  });
  return operation;
}

export async function resizeVm(id: string, body: ResizeBody): Promise<VmOperation> {
  const { operation } = await apiRequest(paths.vmResize, {
    method: 'POST',
    params: { id },
    body,
    schema: operationResponseSchema,
  });
  return operation;
}

export async function renameVm(id: string, name: string): Promise<VmOperation> {
  const { operation } = await apiRequest(paths.vmRename, {
    method: 'POST',
    params: { id },
    body: { name },
    schema: operationResponseSchema,
  });
  return operation;
}

export async function deleteVm(id: string): Promise<VmOperation> {
  const { operation } = await apiRequest(paths.vm, {
    method: 'DELETE',
    params: { id },
    schema: operationResponseSchema,
  });
  return operation;
}

/** The VM's timeline, newest first. */
export function fetchVmOperations(
  id: string,
  page: { page: number; pageSize: number },
  signal?: AbortSignal,
): Promise<OperationPage> {
  return apiRequest(paths.vmOperations, { params: { id }, query: { ...page }, schema: operationPageSchema, signal });
}

export function fetchVmMetrics(id: string, range: MetricsRange, signal?: AbortSignal): Promise<VmMetrics> {
  return apiRequest(paths.vmMetrics, { params: { id }, query: { range }, schema: vmMetricsSchema, signal });
}

/** One request for many VMs; each VM succeeds or fails on its own, so the answer is per VM. */
export function runBulkAction(action: BulkAction, ids: string[]): Promise<BulkActionResult> {
  return apiRequest(paths.vmsBulk, { method: 'POST', body: { action, ids }, schema: bulkActionResultSchema });
}
