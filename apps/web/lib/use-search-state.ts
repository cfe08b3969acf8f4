'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';

/**
 * Page state kept in the query string, so a filtered view can be shared and
 * the back button walks through it. `parse` and `serialize` must be stable
 * (module-level) functions.
 */
export function useSearchState<T>(
  parse: (params: URLSearchParams) => T,
  serialize: (state: T) => URLSearchParams,
): [T, (next: T, options?: { replace?: boolean }) => void] {
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

/** Reads one query parameter through a schema, falling back when it is absent or invalid. */
export function readParam<T>(
  params: URLSearchParams,
  name: string,
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  fallback: T,
): T {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const result = schema.safeParse(raw);
  return result.success ? result.data : fallback;
}
