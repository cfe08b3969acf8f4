import { authSessionSchema, paths, type AuthSession } from '@uni-manager/contracts';
import { ApiError } from '@/lib/api/errors';
import { clockSkewOf, parseJson } from '@/lib/api/response';
import { apiUrl } from '@/lib/api/url';
import { sessionEndFor } from './session-end';
import { endSession, getAuthSnapshot, setSession } from './session-store';

/*
 * The server rotates the refresh token on every use and treats a second use
 * of an old one as theft, revoking every session. So refreshes never overlap:
 * one promise per tab, and a Web Lock across the tabs of this origin so that
 * each refresh is sent with the cookie the previous one set.
 */
const LOCK_NAME = 'uni-manager-refresh';
let inflight: Promise<AuthSession> | null = null;

function withCrossTabLock<T>(task: () => Promise<T>): Promise<T> {
  // Web Locks exist only in secure contexts (HTTPS or localhost); elsewhere
  // the per-tab promise is the only guard.
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return task();
  // The DOM typings wrap the callback's promise once more; at run time it is flattened.
  return locks.request(LOCK_NAME, { mode: 'exclusive' }, task) as unknown as Promise<T>;
}

async function requestRefresh(): Promise<AuthSession> {
  let res: Response;
  try {
    res = await fetch(apiUrl(paths.refresh), {
      method: 'POST',
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (cause) {
    throw ApiError.network(cause);
  }
  if (!res.ok) throw await ApiError.fromResponse(res);
  const session = await parseJson(res, authSessionSchema);
  setSession(session, clockSkewOf(res));
  return session;
}

/** Exchanges the refresh cookie for a new access token; concurrent callers share one request. */
export function refreshSession(): Promise<AuthSession> {
  inflight ??= withCrossTabLock(requestRefresh)
    .catch((err: unknown) => {
      if (err instanceof ApiError) {
        const notice = sessionEndFor(err, getAuthSnapshot().status);
        if (notice !== undefined) endSession(notice);
      }
      throw err;
    })
    .finally(() => {
      inflight = null;
    });
  return inflight;
}
