import { ApiError } from '@/lib/api/errors';
import { sessionEndFor } from '@/lib/auth/session-end';

/*
 * React Query's caches are created outside React, so they report failures
 * here; the reporter that turns them into translated toasts is installed by a
 * component that knows the current language.
 */
type Reporter = (err: unknown) => void;
let reporter: Reporter | null = null;

export function setErrorReporter(next: Reporter | null): void {
  reporter = next;
}

export function reportError(err: unknown): void {
  if (err instanceof DOMException && err.name === 'AbortError') return;
  // The login page explains why the session ended; a toast would repeat it.
  if (err instanceof ApiError && sessionEndFor(err, 'authenticated') !== undefined) return;
  reporter?.(err);
}
