import { ApiError } from '@/lib/api/errors';
import { describeError } from '@/lib/errors/describe';
import type { Dictionary } from '@/lib/i18n/dictionaries';
import type { Translate } from '@/lib/i18n/translate';

/**
 * The billing answers an administrator can cause, said in their terms; the
 * rest as everywhere else.
 */
export function describeBillingError(err: unknown, t: Translate, dict: Dictionary): string {
  if (err instanceof ApiError) {
    if (err.code === 'INSUFFICIENT_CREDITS') return t('adminBilling.errors.insufficientCredits');
    if (err.code === 'ALREADY_REVERSED') return t('adminBilling.errors.alreadyReversed');
  }
  return describeError(err, t, dict).title;
}
