/** Prices of credit packages, in a real currency: what the admin sets and what the user pays. */

/** Decimals of a currency's main unit: 2 for EUR, 0 for JPY; 2 for a code Intl does not know. */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** A price in the currency's smallest unit, as the reader writes money: "€4.99", "4,99 €". */
export function formatPrice(cents: number, currency: string, locale: string): string {
  const digits = currencyDigits(currency);
  const value = cents / 10 ** digits;
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: currency.toUpperCase() }).format(value);
  } catch {
    // A code Intl does not know is still worth showing as it is.
    return `${value.toFixed(digits)} ${currency.toUpperCase()}`;
  }
}

/**
 * A typed price ("4.99", "4,99") as an integer of the currency's smallest
 * unit, digit by digit so no float holds it; null if it is not one.
 */
export function parsePrice(input: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  const compact = input.replace(/[\s\u00a0\u202f]/g, '');
  const pattern = digits > 0 ? `^(\\d{1,9})(?:[.,](\\d{0,${digits}}))?$` : '^(\\d{1,9})$';
  const m = new RegExp(pattern).exec(compact);
  if (!m) return null;
  const fraction = (m[2] ?? '').padEnd(digits, '0');
  return Number(m[1]) * 10 ** digits + (digits > 0 ? Number(fraction) : 0);
}

/** The smallest unit back to an editable price: 499 → "4.99". */
export function priceInput(cents: number, currency: string, separator: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(cents);
  const base = 10 ** digits;
  return `${Math.floor(cents / base)}${separator}${String(cents % base).padStart(digits, '0')}`;
}
