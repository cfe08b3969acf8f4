'use client';

import { sortOrderSchema } from '@uni-manager/contracts';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import type { z } from 'zod';

type SetSearchState<T> = (next: T, options?: { replace?: boolean }) => void;

/**
 * Page state kept in the query string, so a filtered view can be shared and
 * the back button walks through it. `parse` and `serialize` must be stable
 * (module-level) functions.
 */
export function useSearchState<T>(
  parse: (params: URLSearchParams) => T,
  serialize: (state: T) => URLSearchParams,
): [T, SetSearchState<T>] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const state = useMemo(() => parse(new URLSearchParams(params.toString())), [params, parse]);
  const setState = useCallback(
    (next: T, options?: { replace?: boolean }) => {
      const qs = serialize(next).toString();
      const href = qs ? `${pathname}?${qs}` : pathname;
      if (options?.replace) router.replace(href, { scroll: false });
      else router.push(href, { scroll: false });
    },
    [pathname, router, serialize],
  );
  return [state, setState];
}

type ParamSchema<T> = { safeParse(value: unknown): { success: true; data: T } | { success: false } };

/** Reads one query parameter through a schema, falling back when it is absent or invalid. */
export function readParam<T>(params: URLSearchParams, name: string, schema: ParamSchema<T>, fallback: T): T {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const result = schema.safeParse(raw);
  return result.success ? result.data : fallback;
}

/**
 * `useSearchState` for a paged list, plus `update`: it merges a change and
 * starts again from the first page, since a new filter, sort or page size
 * makes the old page number meaningless.
 */
export function usePagedSearchState<T extends { page: number }>(
  parse: (params: URLSearchParams) => T,
  serialize: (state: T) => URLSearchParams,
): [T, SetSearchState<T>, (patch: Partial<T>, options?: { replace?: boolean }) => void] {
  const [search, setSearch] = useSearchState(parse, serialize);
  const update = useCallback(
    (patch: Partial<T>, options?: { replace?: boolean }) => setSearch({ ...search, page: 1, ...patch }, options),
    [search, setSearch],
  );
  return [search, setSearch, update];
}

export type SortOrder = z.infer<typeof sortOrderSchema>;

/** The sort and the page of a sortable, paged list. */
export interface ListPaging<F extends string> {
  sort: F;
  order: SortOrder;
  page: number;
  pageSize: number;
}

/** The page sizes a list offers. */
export const PAGE_SIZES = [10, 25, 50, 100] as const;

/** Reads a list's sort and page through the list query's own schemas (its zod shape will do). */
export function readListPaging<F extends string>(
  params: URLSearchParams,
  schemas: { sort: ParamSchema<F>; page: ParamSchema<number>; pageSize: ParamSchema<number> },
  defaults: ListPaging<F>,
): ListPaging<F> {
  return {
    sort: readParam(params, 'sort', schemas.sort, defaults.sort),
    order: readParam(params, 'order', sortOrderSchema, defaults.order),
    page: readParam(params, 'page', schemas.page, defaults.page),
    pageSize: readParam(params, 'pageSize', schemas.pageSize, defaults.pageSize),
  };
}

/** Writes a list's sort and page; defaults are left out so the plain page has a plain URL. */
export function writeListPaging<F extends string>(
  params: URLSearchParams,
  paging: ListPaging<F>,
  defaults: ListPaging<F>,
): void {
  if (paging.sort !== defaults.sort || paging.order !== defaults.order) {
    params.set('sort', paging.sort);
    params.set('order', paging.order);
  }
  if (paging.page !== defaults.page) params.set('page', String(paging.page));
  if (paging.pageSize !== defaults.pageSize) params.set('pageSize', String(paging.pageSize));
}

/**
 * The order after a click on a column: the other way round on the sorted
 * column, the column's natural order on another one.
 */
export function nextOrder<F extends string>(
  current: { sort: F; order: SortOrder },
  field: F,
  defaultOrderFor: (field: F) => SortOrder,
): SortOrder {
  return current.sort === field ? (current.order === 'asc' ? 'desc' : 'asc') : defaultOrderFor(field);
}
