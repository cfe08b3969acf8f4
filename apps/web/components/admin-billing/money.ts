'use client';

import { MINOR_UNITS_PER_CREDIT } from '@uni-manager/contracts';
import { useMemo } from 'react';
import { formatAmount, formatSignedAmount } from '@/lib/credits';
import { intlLocale } from '@/lib/i18n/config';
import { useI18n } from '@/lib/i18n/i18n-provider';

export interface CreditFormatters {
  /** "1,234.50"; negative amounts keep their sign. */
  amount(minor: number): string;
  /** "+1.00", "−1.00": for ledger rows, where the direction is the point. */
  signed(minor: number): string;
  /** "1,234.50 credits". */
  withUnit(minor: number): string;
  /** "0.05 credits/h", from a rate that may have fractions of a minor unit. */
  perHour(minorPerHour: number): string;
  /** "12.3k": for chart axes, where width is short. */
  compact(minor: number): string;
}

/** Credits in the reader's language: integer minor units in, text out, never a float kept in between. */
export function useCredits(): CreditFormatters {
  const { locale, t } = useI18n();
  return useMemo(() => {
    const tag = intlLocale[locale];
    const compactFormat = new Intl.NumberFormat(tag, { notation: 'compact', maximumFractionDigits: 1 });
    const amount = (minor: number) => formatAmount(minor, tag);
    return {
      amount,
      signed: (minor) => formatSignedAmount(minor, tag),
      withUnit: (minor) => t('adminBilling.money.credits', { amount: amount(minor) }),
      perHour: (rate) => t('adminBilling.money.perHour', { amount: amount(rate) }),
      compact: (minor) => compactFormat.format(minor / MINOR_UNITS_PER_CREDIT),
    };
  }, [locale, t]);
}
