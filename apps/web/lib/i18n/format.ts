import { intlLocale, type Locale } from './config';

export interface Formatters {
  dateTime(iso: string): string;
  /** With seconds, for logs where the order of close events matters. */
  preciseDateTime(iso: string): string;
  date(iso: string): string;
  /** "3 minutes ago", "il y a 2 jours": for recent moments where the exact time matters less. */
  relative(iso: string, now?: number): string;
  number(value: number): string;
  /** A number with at most `digits` decimals: 3.2, 3,2. */
  decimal(value: number, digits?: number): string;
  /** A 0..1 fraction as a percentage: "42 %" in French, "42%" in English. */
  percent(fraction: number, digits?: number): string;
  /** A length of time in its two largest units: "3d 4h", "3j 4h", "12min". */
  duration(seconds: number): string;
  /** Hours and minutes, for time axes: "14:05". */
  time(ms: number): string;
  /** Day and short month, for long time axes: "12 Mar", "12 mars". */
  dayMonth(ms: number): string;
  /** Compact date and time, for chart tooltips: "12 Mar, 14:05". */
  shortDateTime(ms: number): string;
}

const DURATION_UNITS: Array<[Intl.NumberFormatOptions['unit'] & string, number]> = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

const RELATIVE_STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

const cache = new Map<Locale, Formatters>();

/** One set of formatters per language for the whole tab: Intl formatters are slow to build. */
export function formattersFor(locale: Locale): Formatters {
  let formatters = cache.get(locale);
  if (!formatters) {
    formatters = createFormatters(locale);
    cache.set(locale, formatters);
  }
  return formatters;
}

export function createFormatters(locale: Locale): Formatters {
  const tag = intlLocale[locale];
  const dateTimeFormat = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
  const preciseFormat = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'medium' });
  const dateFormat = new Intl.DateTimeFormat(tag, { dateStyle: 'long' });
  const relativeFormat = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' });
  const numberFormat = new Intl.NumberFormat(tag);
  const decimalFormats = new Map<number, Intl.NumberFormat>();
  const decimalFormat = (digits: number) => {
    let f = decimalFormats.get(digits);
    if (!f) {
      f = new Intl.NumberFormat(tag, { maximumFractionDigits: digits });
      decimalFormats.set(digits, f);
    }
    return f;
  };
  const percentFormats = [0, 1, 2].map(
    (digits) => new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: digits }),
  );
  const unitFormats = new Map(
    DURATION_UNITS.map(([unit]) => [unit, new Intl.NumberFormat(tag, { style: 'unit', unit, unitDisplay: 'narrow' })]),
  );
  const timeFormat = new Intl.DateTimeFormat(tag, { hour: '2-digit', minute: '2-digit' });
  const dayMonthFormat = new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short' });
  const shortDateTimeFormat = new Intl.DateTimeFormat(tag, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

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
    decimal: (value, digits = 1) => decimalFormat(digits).format(value),
    percent: (fraction, digits = 0) => (percentFormats[digits] ?? percentFormats[0]!).format(fraction),
    duration(seconds) {
      const total = Math.max(0, Math.floor(seconds));
      const counts = DURATION_UNITS.map(([unit, size], i) => {
        const larger = DURATION_UNITS[i - 1]?.[1];
        return [unit, Math.floor((larger ? total % larger : total) / size)] as const;
      });
      // The largest unit that is not zero and the one after it say enough: "3d 4h", "5min 2s".
      const first = counts.findIndex(([, count]) => count > 0);
      if (first === -1) return unitFormats.get('second')!.format(0);
      return counts
        .slice(first, first + 2)
        .filter(([, count]) => count > 0)
        .map(([unit, count]) => unitFormats.get(unit)!.format(count))
        .join(' ');
    },
    time: (ms) => timeFormat.format(ms),
    dayMonth: (ms) => dayMonthFormat.format(ms),
    shortDateTime: (ms) => shortDateTimeFormat.format(ms),
  };
}
