'use client';

import { MINOR_UNITS_PER_CREDIT } from '@uni-manager/contracts';
import { useMemo } from 'react';
import { formatAmount, formatSignedAmount } from '@/lib/credits';
import { intlLocale } from '@/lib/i18n/config';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { Translate } from '@/lib/i18n/translate';
import { useBillingSettings } from './use-billing';

/** The platform's default unit is said in the reader's language; a name an operator chose is kept as written. */
export function unitLabel(unitName: string | undefined, t: Translate): string {
  return !unitName || unitName === 'credits' ? t('credits.unit') : unitName;
}

export interface Money {
  /** What credits are called here, in the reader's language when it is the default. */
  unit: string;
  /** "1,234.50"; a negative amount keeps its sign. */
  amount(minor: number): string;
  /** "+1.00", "−1.00": for ledger rows, where the direction is the point. */
  signed(minor: number): string;
  /** "1,234.50 credits". */
  withUnit(minor: number): string;
  /** "0.05 credits/h", from a rate that may hold fractions of a minor unit. */
  perHour(minorPerHour: number): string;
  /** "0.005", "12.3", "1.2k": for chart axes, short but never rounding a small tick to the one beside it. */
  compact(minor: number): string;
}

/**
 * Money in the reader's language and the platform's unit. Amounts arrive as
 * integer minor units (rates may be fractional) and stay so until formatted.
 */
export function useMoney(): Money {
  const { t, locale } = useI18n();
  const unitName = useBillingSettings().data?.unitName;
  return useMemo(() => {
    const tag = intlLocale[locale];
    const unit = unitLabel(unitName, t);
    const compactFormat = new Intl.NumberFormat(tag, { notation: 'compact', maximumFractionDigits: 1 });
    const smallFormat = new Intl.NumberFormat(tag, { maximumFractionDigits: 4 });
    const amount = (minor: number) => formatAmount(minor, tag);
    return {
      unit,
      amount,
      signed: (minor) => formatSignedAmount(minor, tag),
      withUnit: (minor) => t('credits.money.withUnit', { amount: amount(minor), unit }),
      perHour: (rate) => t('credits.money.perHour', { amount: amount(rate), unit }),
      compact: (minor) => {
        const credits = minor / MINOR_UNITS_PER_CREDIT;
        return Math.abs(credits) >= 1000 ? compactFormat.format(credits) : smallFormat.format(credits);
      },
    };
  }, [locale, t, unitName]);
}

/** How often VMs are charged, as a phrase: "every hour", "every 15min". */
export function useCycleText(): (cycleMinutes: number) => string {
  const { t, format } = useI18n();
  return (minutes) =>
    minutes === 60
      ? t('credits.cycle.everyHour')
      : t('credits.cycle.every', { duration: format.duration(minutes * 60) });
}
