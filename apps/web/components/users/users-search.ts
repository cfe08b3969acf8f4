import {
  accountStateSchema,
  listUsersQuerySchema,
  roleSchema,
  sortOrderSchema,
  type userSortFields,
  type AccountState,
  type ListUsersQuery,
  type Role,
} from '@uni-manager/contracts';
import type { z } from 'zod';
import { readParam } from '@/lib/use-search-state';

export type UserSortField = (typeof userSortFields)[number];
export type SortOrder = z.infer<typeof sortOrderSchema>;

export interface UsersSearch {
  q: string;
  role?: Role;
  state?: AccountState;
  sort: UserSortField;
  order: SortOrder;
  page: number;
  pageSize: number;
}

export const PAGE_SIZES = [10, 25, 50, 100] as const;

const shape = listUsersQuerySchema.shape;
const DEFAULTS = { sort: 'createdAt', order: 'desc', page: 1, pageSize: 25 } as const;

export function parseUsersSearch(params: URLSearchParams): UsersSearch {
  return {
    q: (params.get('q') ?? '').slice(0, 200),
    role: readParam(params, 'role', roleSchema, undefined),
    state: readParam(params, 'state', accountStateSchema, undefined),
    sort: readParam(params, 'sort', shape.sort, DEFAULTS.sort),
    order: readParam(params, 'order', sortOrderSchema, DEFAULTS.order),
    page: readParam(params, 'page', shape.page, DEFAULTS.page),
    pageSize: readParam(params, 'pageSize', shape.pageSize, DEFAULTS.pageSize),
  };
}

/** Defaults are left out so the plain page has a plain URL. */
export function serializeUsersSearch(search: UsersSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (search.q) params.set('q', search.q);
  if (search.role) params.set('role', search.role);
  if (search.state) params.set('state', search.state);
  if (search.sort !== DEFAULTS.sort || search.order !== DEFAULTS.order) {
    params.set('sort', search.sort);
    params.set('order', search.order);
  }
  if (search.page !== DEFAULTS.page) params.set('page', String(search.page));
  if (search.pageSize !== DEFAULTS.pageSize) params.set('pageSize', String(search.pageSize));
  return params;
}

export function toUsersQuery(search: UsersSearch): ListUsersQuery {
  return {
    q: search.q || undefined,
    role: search.role,
    state: search.state,
    sort: search.sort,
    order: search.order,
    page: search.page,
    pageSize: search.pageSize,
  };
}

/** Dates read best newest first; text reads best A to Z. */
export function defaultOrderFor(field: UserSortField): SortOrder {
  return field === 'createdAt' || field === 'lastLoginAt' ? 'desc' : 'asc';
}
