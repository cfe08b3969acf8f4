import type { AuthSession, User } from '@uni-manager/contracts';

export type AuthStatus = 'pending' | 'authenticated' | 'anonymous';

export type SessionEndReason =
  'signedOut' | 'signedOutElsewhere' | 'expired' | 'revoked' | 'reused' | 'suspended' | 'banned';

/** Why the user was sent back to the login page; shown there once. */
export interface SessionNotice {
  reason: SessionEndReason;
  /** The administrator's reason for a suspension or ban, when the server gives it. */
  detail?: string;
}

export interface AuthSnapshot {
  status: AuthStatus;
  user: User | null;
  notice: SessionNotice | null;
}

/*
 * The access token lives in this module's memory only, never in web storage:
 * a script injected into the page could read storage, and the token would
 * outlive the tab. A reload loses it on purpose; the httpOnly refresh cookie
 * brings the session back.
 */
let token: { value: string; expiresAt: number } | null = null;

const PENDING: AuthSnapshot = { status: 'pending', user: null, notice: null };
let snapshot: AuthSnapshot = PENDING;
const listeners = new Set<() => void>();

function publish(next: AuthSnapshot): void {
  snapshot = next;
  for (const listener of listeners) listener();
}

export function subscribeAuth(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getAuthSnapshot(): AuthSnapshot {
  return snapshot;
}

/** The server never knows the session: it renders the "still checking" state. */
export function getServerAuthSnapshot(): AuthSnapshot {
  return PENDING;
}

/**
 * @param clockSkewMs how far this machine's clock is ahead of the server's, so
 *   that the expiry is compared with local time correctly.
 */
export function setSession(session: AuthSession, clockSkewMs = 0): void {
  token = { value: session.accessToken, expiresAt: Date.parse(session.accessTokenExpiresAt) + clockSkewMs };
  publish({ status: 'authenticated', user: session.user, notice: null });
}

export function updateUser(user: User): void {
  if (snapshot.status === 'authenticated') publish({ ...snapshot, user });
}

export function endSession(notice: SessionNotice | null): void {
  token = null;
  publish({ status: 'anonymous', user: null, notice });
}

export function dismissNotice(): void {
  if (snapshot.notice) publish({ ...snapshot, notice: null });
}

export function getAccessToken(): string | null {
  return token?.value ?? null;
}

/** Local time (ms) at which the access token stops working, or 0 without one. */
export function getTokenExpiry(): number {
  return token?.expiresAt ?? 0;
}
