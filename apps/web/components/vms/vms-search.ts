import {
  idSchema,
  listVmsQuerySchema,
  powerStateSchema,
  vmStatusSchema,
  type AdminListVmsQuery,
  type ListVmsQuery,
  type PowerState,
  type VmStatus,
  type vmSortFields,
} from '@uni-manager/contracts';
import { readListPaging, readParam, writeListPaging, type ListPaging, type SortOrder } from '@/lib/use-search-state';

export { PAGE_SIZES, type SortOrder } from '@/lib/use-search-state';

export type VmSortField = (typeof vmSortFields)[number];

export interface VmsSearch extends ListPaging<VmSortField> {
  q: string;
  status?: VmStatus;
  powerState?: PowerState;
}

export interface AdminVmsSearch extends VmsSearch {
  serverId?: string;
  ownerId?: string;
  includeDeleted: boolean;
}

const DEFAULTS: ListPaging<VmSortField> = { sort: 'createdAt', order: 'desc', page: 1, pageSize: 25 };

export function parseVmsSearch(params: URLSearchParams): VmsSearch {
  return {
    q: (params.get('q') ?? '').slice(0, 100),
    status: readParam(params, 'status', vmStatusSchema, undefined),
    powerState: readParam(params, 'power', powerStateSchema, undefined),
    ...readListPaging(params, listVmsQuerySchema.shape, DEFAULTS),
  };
}

export function serializeVmsSearch(search: VmsSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (search.q) params.set('q', search.q);
  if (search.status) params.set('status', search.status);
  if (search.powerState) params.set('power', search.powerState);
  writeListPaging(params, search, DEFAULTS);
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
