import { intlLocale, type Locale } from './config';

export interface Formatters {
  dateTime(iso: string): string;
  /** With seconds, for logs where the order of close events matters. */
  preciseDateTime(iso: string): string;
  date(iso: string): string;
  /** "3 minutes ago", "il y a 2 jours": for recent moments where the exact time matters less. */
  relative(iso: string, now?: number): string;
  number(value: number): string;
}

const RELATIVE_STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

export function createFormatters(locale: Locale): Formatters {
  const tag = intlLocale[locale];
  const dateTimeFormat = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
  const preciseFormat = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'medium' });
  const dateFormat = new Intl.DateTimeFormat(tag, { dateStyle: 'long' });
  const relativeFormat = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' });
  const numberFormat = new Intl.NumberFormat(tag);

  return {
    dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
    preciseDateTime: (iso) => preciseFormat.format(new Date(iso)),
    date: (iso) => dateFormat.format(new Date(iso)),
    relative(iso, now = Date.now()) {
      let value = (new Date(iso).getTime() - now) / 1000;
      for (const [unit, size] of RELATIVE_STEPS) {
        if (Math.abs(value) < size) return relativeFormat.format(Math.round(value), unit);
        value /= size;
      }
      return dateFormat.format(new Date(iso));
    },
    number: (value) => numberFormat.format(value),
  };
}
