import { z } from 'zod';

/**
 * Credits are counted in integer minor units: 1 credit = 10 000 units, so an
 * hourly price of a hundredth of a credit still prorates to whole units per
 * minute. Amounts never travel as floats.
 */
export const MINOR_UNITS_PER_CREDIT = 10_000;

/** An amount in minor units: a non-negative safe integer. */
export const amountSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Formats minor units as credits with at least two and at most four decimals. */
export function formatCredits(minor: number, locale = 'en'): string {
  const value = minor / MINOR_UNITS_PER_CREDIT;
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(value);
}

export const HOURS_PER_DAY = 24;
/** A billing month, for price display: 730 hours (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;
