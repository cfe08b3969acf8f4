import {
  accountStateSchema,
  listUsersQuerySchema,
  roleSchema,
  type userSortFields,
  type AccountState,
  type ListUsersQuery,
  type Role,
} from '@uni-manager/contracts';
import { readListPaging, readParam, writeListPaging, type ListPaging, type SortOrder } from '@/lib/use-search-state';

export { PAGE_SIZES, type SortOrder } from '@/lib/use-search-state';

export type UserSortField = (typeof userSortFields)[number];

export interface UsersSearch extends ListPaging<UserSortField> {
  q: string;
  role?: Role;
  state?: AccountState;
}

const DEFAULTS: ListPaging<UserSortField> = { sort: 'createdAt', order: 'desc', page: 1, pageSize: 25 };

export function parseUsersSearch(params: URLSearchParams): UsersSearch {
  return {
    q: (params.get('q') ?? '').slice(0, 200),
    role: readParam(params, 'role', roleSchema, undefined),
    state: readParam(params, 'state', accountStateSchema, undefined),
    ...readListPaging(params, listUsersQuerySchema.shape, DEFAULTS),
  };
}

export function serializeUsersSearch(search: UsersSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (search.q) params.set('q', search.q);
  if (search.role) params.set('role', search.role);
  if (search.state) params.set('state', search.state);
  writeListPaging(params, search, DEFAULTS);
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

/**
 * Dates read best newest first, and VM counts largest first; text reads best A to Z, and balances
 * lowest first, so the accounts in debt come to the top.
 */
export function defaultOrderFor(field: UserSortField): SortOrder {
  return field === 'createdAt' || field === 'lastLoginAt' || field === 'vmCount' ? 'desc' : 'asc';
}
