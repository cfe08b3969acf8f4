import {
  idSchema,
  listVmsQuerySchema,
  powerStateSchema,
  sortOrderSchema,
  vmStatusSchema,
  type AdminListVmsQuery,
  type ListVmsQuery,
  type PowerState,
  type VmStatus,
  type vmSortFields,
} from '@uni-manager/contracts';
import type { z } from 'zod';
import { readParam } from '@/lib/use-search-state';

export type VmSortField = (typeof vmSortFields)[number];
export type SortOrder = z.infer<typeof sortOrderSchema>;

export interface VmsSearch {
  q: string;
  status?: VmStatus;
  powerState?: PowerState;
  sort: VmSortField;
  order: SortOrder;
  page: number;
  pageSize: number;
}

export interface AdminVmsSearch extends VmsSearch {
  serverId?: string;
  ownerId?: string;
  includeDeleted: boolean;
}

export const PAGE_SIZES = [10, 25, 50, 100] as const;

const shape = listVmsQuerySchema.shape;
const DEFAULTS = { sort: 'createdAt', order: 'desc', page: 1, pageSize: 25 } as const;

export function parseVmsSearch(params: URLSearchParams): VmsSearch {
  return {
    q: (params.get('q') ?? '').slice(0, 100),
    status: readParam(params, 'status', vmStatusSchema, undefined),
    powerState: readParam(params, 'power', powerStateSchema, undefined),
    sort: readParam(params, 'sort', shape.sort, DEFAULTS.sort),
    order: readParam(params, 'order', sortOrderSchema, DEFAULTS.order),
    page: readParam(params, 'page', shape.page, DEFAULTS.page),
    pageSize: readParam(params, 'pageSize', shape.pageSize, DEFAULTS.pageSize),
  };
}

/** Defaults are left out so the plain page has a plain URL. */
export function serializeVmsSearch(search: VmsSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (search.q) params.set('q', search.q);
  if (search.status) params.set('status', search.status);
  if (search.powerState) params.set('power', search.powerState);
  if (search.sort !== DEFAULTS.sort || search.order !== DEFAULTS.order) {
    params.set('sort', search.sort);
    params.set('order', search.order);
  }
  if (search.page !== DEFAULTS.page) params.set('page', String(search.page));
  if (search.pageSize !== DEFAULTS.pageSize) params.set('pageSize', String(search.pageSize));
  return params;
}

export function parseAdminVmsSearch(params: URLSearchParams): AdminVmsSearch {
  return {
    ...parseVmsSearch(params),
    serverId: readParam(params, 'server', idSchema, undefined),
    ownerId: readParam(params, 'owner', idSchema, undefined),
    includeDeleted: params.get('deleted') === 'true',
  };
}

export function serializeAdminVmsSearch(search: AdminVmsSearch): URLSearchParams {
  const params = serializeVmsSearch(search);
  if (search.serverId) params.set('server', search.serverId);
  if (search.ownerId) params.set('owner', search.ownerId);
  if (search.includeDeleted) params.set('deleted', 'true');
  return params;
}

export function toVmsQuery(search: VmsSearch): ListVmsQuery {
  return {
    q: search.q || undefined,
    status: search.status,
    powerState: search.powerState,
    sort: search.sort,
    order: search.order,
    page: search.page,
    pageSize: search.pageSize,
  };
}

export function toAdminVmsQuery(search: AdminVmsSearch): AdminListVmsQuery {
  return {
    ...toVmsQuery(search),
    serverId: search.serverId,
    ownerId: search.ownerId,
    includeDeleted: search.includeDeleted,
  };
}

/** Dates read best newest first; names and states A to Z. */
export function defaultOrderFor(field: VmSortField): SortOrder {
  return field === 'createdAt' ? 'desc' : 'asc';
}

export function isFiltered(search: VmsSearch): boolean {
  return Boolean(search.q || search.status || search.powerState);
}
