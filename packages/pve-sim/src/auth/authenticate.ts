/**
 * Request authentication as pve-manager's HTTPServer does it ([MGR] HTTPServer.pm:60-140):
 * a ticket cookie first, else an API token; "No ticket" when neither; "Authentication failed!"
 * when the one given is wrong; a CSRF token required with a ticket on anything but GET.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { AuthError } from '../http/errors.js';
import type { Identity, IdentityStore } from './identities.js';
import type { TicketSigner } from './tickets.js';

export const COOKIE_NAME = 'PVEAuthCookie';
export const TOKEN_PREFIX = 'PVEAPIToken';

export interface AuthOutcome {
  identity?: Identity;
  /** The request carried an API token (CSRF skipped; token-less endpoints refuse it). */
  apiToken: boolean;
}

/** extract_auth_value ([HTTP] Formatter.pm:78-88): `KEY=value` or `KEY value`, URI-unescaped. */
export function extractAuthValue(header: string | undefined, key: string): string | undefined {
  if (!header) return undefined;
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(?:^|\\s)${escaped}(?:=| )([^;]*)`).exec(header);
  if (!m || !m[1]) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

const TOKEN_ID_RE = /^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+![A-Za-z][A-Za-z0-9.\-_]+$/;

export function authenticate(
  headers: IncomingHttpHeaders,
  method: string,
  requireAuth: boolean,
  deps: { identities: IdentityStore; tickets: TicketSigner },
): AuthOutcome {
  const ticket = extractAuthValue(headers.cookie, COOKIE_NAME);
  const authHeader = Array.isArray(headers.authorization) ? headers.authorization[0] : headers.authorization;
  const apiToken = ticket ? undefined : extractAuthValue(authHeader, TOKEN_PREFIX);
  if (!requireAuth) return { apiToken: !!apiToken };

  if (apiToken) {
    // verify_token: split at the last '=' ([AC] AccessControl.pm:487-497).
    const m = /^(.*)=(.*)$/.exec(apiToken);
    const identity =
      m && TOKEN_ID_RE.test(m[1] as string) ? deps.identities.forToken(m[1] as string, m[2] as string) : undefined;
    if (!identity) throw new AuthError('Authentication failed!');
    return { identity, apiToken: true };
  }
  if (!ticket) throw new AuthError('No ticket');
  const userid = deps.tickets.verifyTicket(ticket);
  const identity = userid ? deps.identities.forUser(userid) : undefined;
  if (!identity) throw new AuthError('Authentication failed!');
  if (method !== 'GET') {
    const csrf = headers.csrfpreventiontoken;
    if (!deps.tickets.verifyCsrf(identity.userid, Array.isArray(csrf) ? csrf[0] : csrf)) {
      throw new AuthError('Permission denied - invalid csrf token');
    }
  }
  return { identity, apiToken: false };
}
