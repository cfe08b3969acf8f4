import type { z } from 'zod';
import { refreshSession } from '@/lib/auth/refresh';
import { sessionEndFor } from '@/lib/auth/session-end';
import { endSession, getAccessToken, getAuthSnapshot, getTokenExpiry } from '@/lib/auth/session-store';
import { ApiError } from './errors';
import { parseJson } from './response';
import { apiUrl, type QueryValue } from './url';

export interface RequestOptions<T> {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  params?: Record<string, string>;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Response schema; leave out for 204 answers. */
  schema?: z.ZodType<T>;
  /** false for login and register, which run without a session. */
  auth?: boolean;
  signal?: AbortSignal;
  /** What the answer should be; JSON unless a file is asked for. */
  accept?: string;
}

/** A token this close to its expiry is refreshed before use rather than sent to fail. */
const EXPIRY_MARGIN_MS = 15_000;

async function send(url: string, options: RequestOptions<unknown>, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  // Fastify rejects an empty body sent as JSON, so body-less POSTs carry no content type.
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    return await fetch(url, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: options.signal,
    });
  } catch (cause) {
    if (options.signal?.aborted) throw cause;
    throw ApiError.network(cause);
  }
}

async function usableToken(): Promise<string> {
  const token = getAccessToken();
  if (token && getTokenExpiry() - Date.now() > EXPIRY_MARGIN_MS) return token;
  if (!token && getAuthSnapshot().status === 'anonymous') {
    throw new ApiError(401, 'UNAUTHENTICATED', 'Not signed in');
  }
  // Either the first refresh after page load is still running, or the token is about to lapse.
  return (await refreshSession()).accessToken;
}

/**
 * Every call to the API goes through here: it attaches the in-memory access
 * token, refreshes it once on TOKEN_EXPIRED and replays the request, and ends
 * the session on the errors that mean it is over.
 */
export async function apiRequest<T = void>(path: string, options: RequestOptions<T> = {}): Promise<T> {
  const res = await apiResponse(path, options);
  if (!options.schema) return undefined as T;
  return parseJson(res, options.schema);
}

/**
 * `apiRequest` up to a successful response, left unread: for answers that are
 * not JSON, such as a CSV export the browser saves as a file.
 */
export async function apiResponse(
  path: string,
  options: Omit<RequestOptions<unknown>, 'schema'> = {},
): Promise<Response> {
  const url = apiUrl(path, options.params, options.query);
  const authenticated = options.auth ?? true;

  let res = await send(url, options, authenticated ? await usableToken() : null);
  if (authenticated && res.status === 401) {
    const err = await ApiError.fromResponse(res);
    if (err.code !== 'TOKEN_EXPIRED') throw fail(err);
    const session = await refreshSession();
    res = await send(url, options, session.accessToken);
  }
  if (!res.ok) {
    const err = await ApiError.fromResponse(res);
    throw authenticated ? fail(err) : err;
  }
  return res;
}

function fail(err: ApiError): ApiError {
  const notice = sessionEndFor(err, getAuthSnapshot().status);
  if (notice !== undefined) endSession(notice);
  return err;
}
