import { formatCredits, HOURS_PER_DAY, HOURS_PER_MONTH } from '@uni-manager/contracts';
import { intlLocale, type Locale } from '@/lib/i18n/config';
import type { Formatters } from '@/lib/i18n/format';
import type { Translate } from '@/lib/i18n/translate';

/** Memory as people say it: "4 GiB", "1.5 GiB", "512 MiB". */
export function formatMemory(mib: number, t: Translate, format: Formatters): string {
  if (mib < 1024) return t('vms.units.mib', { value: format.number(mib) });
  return t('vms.units.gib', { value: format.decimal(mib / 1024, 2) });
}

export function formatDisk(gib: number, t: Translate, format: Formatters): string {
  return t('vms.units.gib', { value: format.number(gib) });
}

export function formatCores(cores: number, t: Translate): string {
  return t('vms.units.cores', { count: cores });
}

/** "2 vCPU · 4 GiB · 20 GiB", in the order a size is always given. */
export function formatSize(
  size: { cores: number; memoryMib: number; diskGib: number },
  t: Translate,
  format: Formatters,
): string {
  return [
    formatCores(size.cores, t),
    formatMemory(size.memoryMib, t, format),
    t('vms.units.disk', { value: formatDisk(size.diskGib, t, format) }),
  ].join(' · ');
}

export type PricePeriod = 'hour' | 'day' | 'month';
const HOURS: Record<PricePeriod, number> = { hour: 1, day: HOURS_PER_DAY, month: HOURS_PER_MONTH };

/**
 * An hourly price over a longer period, still in minor units so the only
 * rounding is the display's.
 */
export function priceFor(perHour: number, period: PricePeriod): number {
  return perHour * HOURS[period];
}

/** "0.05 credits", or "Free" for nothing at all. */
export function formatPrice(minor: number, t: Translate, locale: Locale): string {
  if (minor === 0) return t('vms.price.free');
  return t('vms.price.credits', { amount: formatCredits(minor, intlLocale[locale]) });
}

/** An amount as a bare number of credits ("0.05"), or "Free": for tables whose caption says "credits". */
export function formatAmount(minor: number, t: Translate, locale: Locale): string {
  if (minor === 0) return t('vms.price.free');
  return formatCredits(minor, intlLocale[locale]);
}

/** "0.05 credits/h", or "Free". */
export function formatHourly(minor: number, t: Translate, locale: Locale): string {
  if (minor === 0) return t('vms.price.free');
  return t('vms.price.perHourShort', { price: formatPrice(minor, t, locale) });
}
