'use client';

import { CalendarDays } from 'lucide-react';
import { useMemo, useRef, useState, type ComponentProps } from 'react';
import { intlLocale } from '@/lib/i18n/config';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { Input } from './input';

type Part = 'day' | 'month' | 'year';

/** The order and separator of a numeric date in the reader's language: day first for en-GB and fr-FR. */
function datePattern(tag: string): { order: Part[]; separator: string } {
  const parts = new Intl.DateTimeFormat(tag, { day: '2-digit', month: '2-digit', year: 'numeric' }).formatToParts(
    new Date(2001, 1, 3),
  );
  const order = parts.map((p) => p.type).filter((t): t is Part => t === 'day' || t === 'month' || t === 'year');
  return { order, separator: parts.find((p) => p.type === 'literal')?.value ?? '/' };
}

function toText(day: string, pattern: { order: Part[]; separator: string }): string {
  const [year, month, date] = day.split('-');
  if (!year || !month || !date) return '';
  const of: Record<Part, string> = { year, month, day: date };
  return pattern.order.map((p) => of[p]).join(pattern.separator);
}

/** YYYY-MM-DD for a whole, real date typed in the locale's order; undefined otherwise. */
function parseText(text: string, order: Part[]): string | undefined {
  const numbers = text.trim().split(/\D+/).filter(Boolean);
  if (numbers.length !== 3) return undefined;
  const of = Object.fromEntries(order.map((p, i) => [p, Number(numbers[i])])) as Record<Part, number>;
  if (of.year < 1000 || of.year > 9999) return undefined;
  const date = new Date(Date.UTC(of.year, of.month - 1, of.day));
  if (date.getUTCMonth() !== of.month - 1 || date.getUTCDate() !== of.day) return undefined;
  return date.toISOString().slice(0, 10);
}

type DateInputProps = Omit<ComponentProps<'input'>, 'type' | 'value' | 'onChange' | 'min' | 'max'> & {
  /** A calendar day (YYYY-MM-DD), or '' for none. */
  value: string;
  min?: string;
  max?: string;
  /** A whole date typed or picked (YYYY-MM-DD), or '' when the box is emptied. */
  onChange: (value: string) => void;
  pickLabel: string;
};

/**
 * A date typed in the reader's language's order ("03/12/2026" in English and
 * French here), where a native date box follows the browser's own locale
 * instead (month first in an American browser). The calendar button opens the
 * browser's picker on a hidden native box.
 */
export function DateInput({ value, min, max, onChange, pickLabel, className, ...props }: DateInputProps) {
  const { locale, dict } = useI18n();
  const pattern = useMemo(() => datePattern(intlLocale[locale]), [locale]);
  const placeholder = pattern.order.map((p) => dict.common.dateParts[p]).join(pattern.separator);
  const [text, setText] = useState(() => toText(value, pattern));
  const [shown, setShown] = useState({ value, pattern });
  // A new value from outside (a cleared filter, a picked day, another language) replaces what is typed.
  if (shown.value !== value || shown.pattern !== pattern) {
    setShown({ value, pattern });
    if (parseText(text, pattern.order) !== value || shown.pattern !== pattern) setText(toText(value, pattern));
  }
  const picker = useRef<HTMLInputElement>(null);

  return (
    <div className={cn('relative w-full', className)}>
      <Input
        {...props}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder={placeholder}
        title={placeholder}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (!e.target.value.trim()) return onChange('');
          const day = parseText(e.target.value, pattern.order);
          // As a native date box does, a day beyond min or max still counts: the range check says why it is wrong.
          if (day) onChange(day);
        }}
        onBlur={(e) => {
          // What cannot be read goes back to the last good date rather than silently meaning nothing.
          if (e.target.value.trim() && parseText(e.target.value, pattern.order) !== value)
            setText(toText(value, pattern));
          props.onBlur?.(e);
        }}
        className="pr-10 tabular-nums"
      />
      <input
        ref={picker}
        type="date"
        tabIndex={-1}
        aria-hidden
        className="pointer-events-none absolute bottom-0 right-0 size-0 opacity-0"
        value={value}
        min={min}
        max={max}
        onChange={(e) => onChange(e.target.value)}
      />
      <button
        type="button"
        aria-label={pickLabel}
        onClick={() => picker.current?.showPicker?.()}
        className="absolute inset-y-0 right-0 flex w-10 items-center justify-center rounded-r-md text-muted-foreground hover:text-foreground focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-ring"
      >
        <CalendarDays className="size-4" aria-hidden />
      </button>
    </div>
  );
}
