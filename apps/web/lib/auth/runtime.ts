import { reportError } from '@/lib/errors/report';
import { listenToOtherTabs } from './cross-tab';
import { refreshSession } from './refresh';
import { endSession, getAuthSnapshot, getTokenExpiry, subscribeAuth } from './session-store';

/*
 * Keeps the in-memory session alive for as long as the tab is open: restores
 * it from the refresh cookie on load, refreshes the access token shortly
 * before it lapses, and follows logins and logouts made in other tabs.
 */

const RETRY_AFTER_FAILURE_MS = 15_000;
let bootstrapped = false;
let timer: ReturnType<typeof setTimeout> | undefined;
let scheduledExpiry = 0;

function bootstrap(): void {
  if (bootstrapped) return;
  bootstrapped = true;
  refreshSession().catch((err: unknown) => {
    // Session-ending answers already moved the store to "anonymous"; anything
    // else (server down, rate limited) must not leave the app waiting forever.
    if (getAuthSnapshot().status === 'pending') endSession(null);
    reportError(err);
  });
}

function refreshSoon(): void {
  scheduledExpiry = 0;
  refreshSession().catch(() => {
    // A transient failure: the token may still be valid for a while, so try again.
    if (getAuthSnapshot().status === 'authenticated') timer = setTimeout(refreshSoon, RETRY_AFTER_FAILURE_MS);
  });
}

function schedule(): void {
  const expiry = getTokenExpiry();
  if (expiry === scheduledExpiry) return;
  clearTimeout(timer);
  scheduledExpiry = expiry;
  if (!expiry) return;
  const remaining = expiry - Date.now();
  const lead = Math.min(60_000, Math.max(5_000, remaining / 5));
  timer = setTimeout(refreshSoon, Math.max(1_000, remaining - lead));
}

/** Hidden tabs have their timers throttled; catch up as soon as the tab is visible again. */
function onVisibilityChange(): void {
  if (document.visibilityState !== 'visible') return;
  if (getAuthSnapshot().status === 'authenticated' && getTokenExpiry() - Date.now() < 60_000) refreshSoon();
}

export function startAuthRuntime(): () => void {
  bootstrap();
  schedule();
  const unsubscribe = subscribeAuth(schedule);
  document.addEventListener('visibilitychange', onVisibilityChange);
  const stopListening = listenToOtherTabs((message) => {
    const { status } = getAuthSnapshot();
    if (message === 'logout' && status === 'authenticated') endSession({ reason: 'signedOutElsewhere' });
    if (message === 'login' && status !== 'authenticated') refreshSession().catch(() => undefined);
  });
  return () => {
    unsubscribe();
    document.removeEventListener('visibilitychange', onVisibilityChange);
    stopListening();
    clearTimeout(timer);
    scheduledExpiry = 0;
  };
}
