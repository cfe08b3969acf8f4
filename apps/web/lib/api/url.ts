import { API_PREFIX } from '@uni-manager/contracts';

export type QueryValue = string | number | boolean | null | undefined;

/** `/admin/users/:id` + `{ id }` → `/api/v1/admin/users/<id>`, with an optional query string. */
export function apiUrl(path: string, params?: Record<string, string>, query?: Record<string, QueryValue>): string {
  const filled = path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`Missing path parameter "${name}" for ${path}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const qs = search.toString();
  return `${API_PREFIX}${filled}${qs ? `?${qs}` : ''}`;
}
