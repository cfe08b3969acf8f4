import { ApiError } from '@/lib/api/errors';
import type { Dictionary } from '@/lib/i18n/dictionaries';
import type { Translate } from '@/lib/i18n/translate';

export interface ErrorDescription {
  title: string;
  description?: string;
}

/** Turns any failure into words in the user's language; the server's own message is the fallback. */
export function describeError(err: unknown, t: Translate, dict: Dictionary): ErrorDescription {
  if (!(err instanceof ApiError)) return { title: t('errors.unexpected') };
  switch (err.code) {
    case 'NETWORK_ERROR':
      return { title: t('errors.network') };
    case 'BAD_RESPONSE':
      return { title: t('errors.badResponse') };
    case 'RATE_LIMITED':
      if (err.retryAfterSeconds) return { title: t('errors.rateLimited', { seconds: err.retryAfterSeconds }) };
      break;
  }
  const title = (dict.errorCodes as Partial<Record<string, string>>)[err.code] ?? err.message;
  // A request id lets an administrator find the failure in the server logs.
  const description = err.status >= 500 && err.requestId ? t('errors.reference', { id: err.requestId }) : undefined;
  return { title, description };
}
