import { healthRangeSchema, type HealthRange } from '@uni-manager/contracts';
import { readParam } from '@/lib/use-search-state';

export interface ServerSearch {
  range: HealthRange;
}

const DEFAULT_RANGE: HealthRange = '24h';

export function parseServerSearch(params: URLSearchParams): ServerSearch {
  return { range: readParam(params, 'range', healthRangeSchema, DEFAULT_RANGE) };
}

/** The default range is left out so the plain page has a plain URL. */
export function serializeServerSearch(search: ServerSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (search.range !== DEFAULT_RANGE) params.set('range', search.range);
  return params;
}
