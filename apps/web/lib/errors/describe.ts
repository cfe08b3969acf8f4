import { formatCredits } from '@uni-manager/contracts';
import { ApiError } from '@/lib/api/errors';
import { intlLocale, isLocale } from '@/lib/i18n/config';
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
    case 'INSUFFICIENT_CREDITS':
      return insufficientCredits(err, t, dict);
  }
  const title = (dict.errorCodes as Partial<Record<string, string>>)[err.code] ?? err.message;
  // A request id lets an administrator find the failure in the server logs.
  const description = err.status >= 500 && err.requestId ? t('errors.reference', { id: err.requestId }) : undefined;
  return { title, description };
}

/**
 * A refusal for lack of credits says exactly how much was needed and how much
 * there is. The API's message says it in English; other languages word it
 * from the figures in its details, and fall back to the message without them.
 */
function insufficientCredits(err: ApiError, t: Translate, dict: Dictionary): ErrorDescription {
  const { need, available, unit } = err.details;
  if (typeof need !== 'number' || typeof available !== 'number') return { title: err.message };
  // The dictionary is one of ours: its locale formats the amounts.
  const locale = isLocale(dict.meta.locale) ? dict.meta.locale : 'en';
  const amount = (minor: number) => formatCredits(Math.max(0, minor), intlLocale[locale]);
  const unitName = typeof unit === 'string' && unit && unit !== 'credits' ? unit : t('credits.unit');
  return {
    title: t('errors.insufficientCredits', {
      message: err.message,
      need: amount(need),
      available: amount(available),
      unit: unitName,
    }),
  };
}
