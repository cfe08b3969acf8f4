import {
  idSchema,
  paginationQuerySchema,
  transferKindSchema,
  type AdminListTransactionsQuery,
  type BillingReportQuery,
  type TransferKind,
} from '@uni-manager/contracts';
import { z } from 'zod';
import { dayEnd, dayStart, localDay } from '@/lib/days';
import { readParam } from '@/lib/use-search-state';

/** The billing page's state in the query string: the period, and the transactions list's filters and page. */
export interface BillingSearch {
  /** Calendar days (YYYY-MM-DD) in the admin's time zone, as the date inputs give them. */
  from?: string;
  to?: string;
  kind?: TransferKind;
  user?: string;
  page: number;
  pageSize: number;
}

export const TRANSACTION_PAGE_SIZES = [10, 25, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 25;
/** The report's own default, kept here so the date inputs show what is asked for. */
export const DEFAULT_PERIOD_DAYS = 30;
const day = z.iso.date();

export function parseBillingSearch(params: URLSearchParams): BillingSearch {
  return {
    from: readParam(params, 'from', day, undefined),
    to: readParam(params, 'to', day, undefined),
    kind: readParam(params, 'kind', transferKindSchema, undefined),
    user: readParam(params, 'user', idSchema, undefined),
    page: readParam(params, 'page', paginationQuerySchema.shape.page, 1),
    pageSize: readParam(params, 'pageSize', paginationQuerySchema.shape.pageSize, DEFAULT_PAGE_SIZE),
  };
}

export function serializeBillingSearch(search: BillingSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (search.from) params.set('from', search.from);
  if (search.to) params.set('to', search.to);
  if (search.kind) params.set('kind', search.kind);
  if (search.user) params.set('user', search.user);
  if (search.page !== 1) params.set('page', String(search.page));
  if (search.pageSize !== DEFAULT_PAGE_SIZE) params.set('pageSize', String(search.pageSize));
  return params;
}

/** The day `days` before a YYYY-MM-DD day, counted on the calendar (summer time does not shift it). */
export function daysBefore(dayString: string, days: number): string {
  const [y, m, d] = dayString.split('-').map(Number) as [number, number, number];
  return localDay(new Date(y, m - 1, d - days));
}

export interface Period {
  from: string;
  to: string;
}

/** The period asked for, the last 30 days where the URL names none. */
export function periodOf(search: Pick<BillingSearch, 'from' | 'to'>, today: string): Period {
  const to = search.to ?? today;
  return { from: search.from ?? daysBefore(to, DEFAULT_PERIOD_DAYS - 1), to };
}

export function isPeriodValid(period: Period): boolean {
  return period.from <= period.to;
}

export const presets = [
  { id: '7d', days: 7 },
  { id: '30d', days: 30 },
  { id: '90d', days: 90 },
  { id: 'month', days: null },
] as const;
export type PresetId = (typeof presets)[number]['id'];

export function presetPeriod(id: PresetId, today: string): Period {
  const preset = presets.find((p) => p.id === id)!;
  if (preset.days === null) return { from: `${today.slice(0, 8)}01`, to: today };
  return { from: daysBefore(today, preset.days - 1), to: today };
}

/** Which preset a period is, if any, so the picker can show it selected. */
export function presetOf(period: Period, today: string): PresetId | undefined {
  return presets.find((p) => {
    const candidate = presetPeriod(p.id, today);
    return candidate.from === period.from && candidate.to === period.to;
  })?.id;
}

/** From the first millisecond of the first local day to the last millisecond of the last one. */
function range(period: Period): { from: string; to: string } {
  return {
    from: dayStart(period.from),
    to: dayEnd(period.to),
  };
}

export function toReportQuery(period: Period): BillingReportQuery {
  return range(period);
}

export function toTransactionsQuery(search: BillingSearch, period: Period): AdminListTransactionsQuery {
  return {
    ...range(period),
    kind: search.kind,
    userId: search.user,
    page: search.page,
    pageSize: search.pageSize,
  };
}
