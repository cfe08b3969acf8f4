import { auditActionSchema, listAuditQuerySchema, type AuditAction, type ListAuditQuery } from '@uni-manager/contracts';
import { z } from 'zod';
import { dayEnd, dayStart } from '@/lib/days';
import { readParam } from '@/lib/use-search-state';

export interface AuditSearch {
  q: string;
  action?: AuditAction;
  /** Calendar days (YYYY-MM-DD) in the user's time zone, as the date inputs give them. */
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

export const AUDIT_PAGE_SIZES = [25, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 50;
const day = z.iso.date();
const shape = listAuditQuerySchema.shape;

export function parseAuditSearch(params: URLSearchParams): AuditSearch {
  return {
    q: (params.get('q') ?? '').slice(0, 200),
    action: readParam(params, 'action', auditActionSchema, undefined),
    from: readParam(params, 'from', day, undefined),
    to: readParam(params, 'to', day, undefined),
    page: readParam(params, 'page', shape.page, 1),
    pageSize: readParam(params, 'pageSize', shape.pageSize, DEFAULT_PAGE_SIZE),
  };
}

export function serializeAuditSearch(search: AuditSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (search.q) params.set('q', search.q);
  if (search.action) params.set('action', search.action);
  if (search.from) params.set('from', search.from);
  if (search.to) params.set('to', search.to);
  if (search.page !== 1) params.set('page', String(search.page));
  if (search.pageSize !== DEFAULT_PAGE_SIZE) params.set('pageSize', String(search.pageSize));
  return params;
}

/** "From" starts at local midnight and "to" ends at the last millisecond of that local day. */
export function toAuditQuery(search: AuditSearch): ListAuditQuery {
  return {
    q: search.q || undefined,
    action: search.action,
    from: search.from ? dayStart(search.from) : undefined,
    to: search.to ? dayEnd(search.to) : undefined,
    page: search.page,
    pageSize: search.pageSize,
  };
}
