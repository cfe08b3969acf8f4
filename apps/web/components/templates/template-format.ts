import { formatCredits, HOURS_PER_DAY, HOURS_PER_MONTH } from '@uni-manager/contracts';
import { intlLocale, type Locale } from '@/lib/i18n/config';
import type { Formatters } from '@/lib/i18n/format';
import type { Translate } from '@/lib/i18n/translate';

/** "2 GiB", "1.5 GiB", "512 MiB". */
export function memoryText(mib: number, t: Translate, format: Formatters): string {
  return mib < 1024
    ? t('templates.units.mib', { value: format.number(mib) })
    : t('templates.units.gib', { value: format.decimal(mib / 1024, 2) });
}

export function coresText(cores: number, t: Translate): string {
  return t('templates.units.cores', { count: cores });
}

export function diskText(gib: number, t: Translate, format: Formatters): string {
  return t('templates.units.disk', { value: t('templates.units.gib', { value: format.number(gib) }) });
}

/** Minor units as credits, or "Free": multiplying before formatting keeps day and month prices exact. */
export function creditsText(minor: number, t: Translate, locale: Locale): string {
  return minor === 0 ? t('templates.price.free') : formatCredits(minor, intlLocale[locale]);
}

export const PERIOD_HOURS = { hour: 1, day: HOURS_PER_DAY, month: HOURS_PER_MONTH } as const;
export type PricePeriod = keyof typeof PERIOD_HOURS;
