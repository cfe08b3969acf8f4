import { formatCredits, MINOR_UNITS_PER_CREDIT } from '@uni-manager/contracts';
import { intlLocale, type Locale } from '@/lib/i18n/config';

/** Decimals a credit amount can have: one minor unit is 1/10 000 of a credit. */
const DECIMALS = Math.round(Math.log10(MINOR_UNITS_PER_CREDIT));

/**
 * Reads an amount of credits typed by a person ("0.05", "0,05", "1 200.5")
 * as integer minor units, digit by digit: no float ever holds the value, so
 * 0.07 is exactly 700. Returns null for anything that is not such an amount,
 * including more decimals than a minor unit can hold.
 */
export function parseCredits(input: string): number | null {
  const compact = input.replace(/[\s\u00a0\u202f]/g, '');
  const m = new RegExp(`^(\\d{1,12})(?:[.,](\\d{0,${DECIMALS}}))?$|^[.,](\\d{1,${DECIMALS}})$`).exec(compact);
  if (!m) return null;
  const whole = m[1] ?? '0';
  const fraction = (m[2] ?? m[3] ?? '').padEnd(DECIMALS, '0');
  return Number(whole) * MINOR_UNITS_PER_CREDIT + Number(fraction);
}

/** Minor units as an editable amount of credits: 500 → "0.05", 10000 → "1" ("0,05" with a comma separator). */
export function creditsInput(minor: number, decimalSeparator = '.'): string {
  const whole = Math.floor(minor / MINOR_UNITS_PER_CREDIT);
  const fraction = String(minor % MINOR_UNITS_PER_CREDIT)
    .padStart(DECIMALS, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}${decimalSeparator}${fraction}` : String(whole);
}

const MINUS = '\u2212';

/** Minor units as "1,234.50" in a locale's digits (an Intl tag); a negative amount keeps its sign, a true minus. */
export function formatAmount(minor: number, tag: string): string {
  return minor < 0 ? `${MINUS}${formatCredits(-minor, tag)}` : formatCredits(minor, tag);
}

/** "+1.00", "−1.00": for ledger rows, where the direction is the point. */
export function formatSignedAmount(minor: number, tag: string): string {
  return minor > 0 ? `+${formatCredits(minor, tag)}` : formatAmount(minor, tag);
}

/** The decimal separator the reader types: "0.5" in English, "0,5" in French. */
export function decimalSeparator(locale: Locale): string {
  return new Intl.NumberFormat(intlLocale[locale]).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
}
