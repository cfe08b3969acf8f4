import type { ApiError } from '@/lib/api/errors';
import type { AuthStatus, SessionNotice } from './session-store';

function reasonOf(err: ApiError): string | undefined {
  const reason = err.details.reason;
  return typeof reason === 'string' && reason.trim() ? reason.trim() : undefined;
}

/**
 * Decides whether an authenticated request's failure ends the session.
 * Returns undefined when it does not, null when it ends silently (there was
 * no session to begin with), or the notice to show on the login page.
 */
export function sessionEndFor(err: ApiError, status: AuthStatus): SessionNotice | null | undefined {
  switch (err.code) {
    case 'SESSION_REVOKED':
      return { reason: 'revoked' };
    case 'REFRESH_TOKEN_REUSED':
      return { reason: 'reused' };
    case 'ACCOUNT_SUSPENDED':
      return { reason: 'suspended', detail: reasonOf(err) };
    case 'ACCOUNT_BANNED':
      return { reason: 'banned', detail: reasonOf(err) };
    case 'REFRESH_TOKEN_INVALID':
    case 'UNAUTHENTICATED':
    case 'TOKEN_EXPIRED':
      // On first load a missing or stale cookie simply means "not signed in".
      return status === 'authenticated' ? { reason: 'expired' } : null;
    default:
      return undefined;
  }
}
