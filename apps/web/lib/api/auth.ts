import { authSessionSchema, paths, type AuthSession, type LoginBody, type RegisterBody } from '@uni-manager/contracts';
import { announce } from '@/lib/auth/cross-tab';
import { endSession, getAccessToken, setSession } from '@/lib/auth/session-store';
import { ApiError } from './errors';
import { clockSkewOf, parseJson } from './response';
import { apiUrl } from './url';

async function startSession(path: string, body: LoginBody | RegisterBody): Promise<AuthSession> {
  let res: Response;
  try {
    res = await fetch(apiUrl(path), {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (cause) {
    throw ApiError.network(cause);
  }
  if (!res.ok) throw await ApiError.fromResponse(res);
  const session = await parseJson(res, authSessionSchema);
  setSession(session, clockSkewOf(res));
  announce('login');
  return session;
}

export function login(body: LoginBody): Promise<AuthSession> {
  return startSession(paths.login, body);
}

export function register(body: RegisterBody): Promise<AuthSession> {
  return startSession(paths.register, body);
}

/** Always leaves this tab signed out, even if the server cannot be reached. */
export async function logout(): Promise<void> {
  const token = getAccessToken();
  try {
    await fetch(apiUrl(paths.logout), {
      method: 'POST',
      headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    // The cookie stays valid server-side until it expires; nothing more we can do offline.
  }
  endSession({ reason: 'signedOut' });
  announce('logout');
}
