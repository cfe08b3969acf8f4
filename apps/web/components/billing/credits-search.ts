import {
  idSchema,
  listTransactionsQuerySchema,
  transferKindSchema,
  type ListTransactionsQuery,
  type TransferKind,
} from '@uni-manager/contracts';
import { z } from 'zod';
import type { TransactionFilters } from '@/lib/api/credits';
import { dayEnd, dayStart } from '@/lib/days';
import { readParam } from '@/lib/use-search-state';

export interface CreditsSearch {
  kind?: TransferKind;
  vmId?: string;
  /** Calendar days (YYYY-MM-DD) in the user's time zone, as the date inputs give them. */
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

export const CREDITS_PAGE_SIZES = [25, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 25;
const day = z.iso.date();
const shape = listTransactionsQuerySchema.shape;

export function parseCreditsSearch(params: URLSearchParams): CreditsSearch {
  return {
    kind: readParam(params, 'kind', transferKindSchema, undefined),
    vmId: readParam(params, 'vm', idSchema, undefined),
    from: readParam(params, 'from', day, undefined),
    to: readParam(params, 'to', day, undefined),
    page: readParam(params, 'page', shape.page, 1),
    pageSize: readParam(params, 'pageSize', shape.pageSize, DEFAULT_PAGE_SIZE),
  };
}

export function serializeCreditsSearch(search: CreditsSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (search.kind) params.set('kind', search.kind);
  if (search.vmId) params.set('vm', search.vmId);
  if (search.from) params.set('from', search.from);
  if (search.to) params.set('to', search.to);
  if (search.page !== 1) params.set('page', String(search.page));
  if (search.pageSize !== DEFAULT_PAGE_SIZE) params.set('pageSize', String(search.pageSize));
  return params;
}

export function isFiltered(search: CreditsSearch): boolean {
  return Boolean(search.kind || search.vmId || search.from || search.to);
}

/** "From" starts at local midnight and "to" ends at the last millisecond of that local day. */
export function toTransactionFilters(search: CreditsSearch): TransactionFilters {
  return {
    kind: search.kind,
    vmId: search.vmId,
    from: search.from ? dayStart(search.from) : undefined,
    to: search.to ? dayEnd(search.to) : undefined,
  };
}

export function toTransactionsQuery(search: CreditsSearch): ListTransactionsQuery {
  return { ...toTransactionFilters(search), page: search.page, pageSize: search.pageSize };
}
