'use client';

import { useId, useState, type ReactNode } from 'react';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { useI18n } from '@/lib/i18n/i18n-provider';

interface SizeFieldProps {
  label: string;
  /** In the base unit: cores, MiB, GiB. */
  value: number;
  min: number;
  max: number;
  /** Slider step, in the base unit. */
  step: number;
  /** How many base units one unit of the text box is: 1024 when memory in MiB is typed in GiB. */
  scale?: number;
  /** The unit after the text box ("vCPU", "GiB"). */
  unit: string;
  /** The value in words, for the slider's screen-reader text and the range hint. */
  describe: (value: number) => string;
  onChange: (value: number) => void;
  error?: string;
  hint?: ReactNode;
  disabled?: boolean;
  testId: string;
}

/**
 * A slider and a text box bound to the same number. The text box may hold a
 * half-typed value ("1." on the way to "1.5"): it commits what parses and
 * only shows the committed value again once it loses focus.
 */
export function SizeField({
  label,
  value,
  min,
  max,
  step,
  scale = 1,
  unit,
  describe,
  onChange,
  error,
  hint,
  disabled,
  testId,
}: SizeFieldProps) {
  const { t } = useI18n();
  const id = useId();
  const toText = (v: number) => String(Math.round((v / scale) * 1000) / 1000);
  const parse = (text: string) => (text.trim() === '' ? Number.NaN : Number(text.replace(',', '.')));
  const [draft, setDraft] = useState(() => toText(value));
  const [seen, setSeen] = useState(value);
  // A change from outside (the slider, a reset) replaces the draft.
  if (value !== seen) {
    setSeen(value);
    if (Math.round(parse(draft) * scale) !== value) setDraft(toText(value));
  }

  function commitText(text: string) {
    setDraft(text);
    const parsed = parse(text);
    if (Number.isFinite(parsed)) {
      const next = Math.round(parsed * scale);
      setSeen(next);
      onChange(next);
    }
  }

  const fixed = min === max;
  const errorId = error ? `${id}-error` : undefined;
  const hintId = `${id}-hint`;
  return (
    <div className="grid gap-2">
      <div className="flex items-center justify-between gap-2">
        <Label htmlFor={`${id}-input`}>{label}</Label>
        <span className="text-xs tabular-nums text-muted-foreground">
          {fixed ? t('vms.size.fixed') : t('vms.size.range', { min: describe(min), max: describe(max) })}
        </span>
      </div>
      <div className="flex items-center gap-3">
        <input
          type="range"
          min={min}
          max={max}
          step={step}
          value={Math.min(max, Math.max(min, value))}
          disabled={disabled || fixed}
          onChange={(e) => onChange(Number(e.target.value))}
          aria-label={label}
          aria-valuetext={describe(value)}
          className="h-2 min-w-0 flex-1 cursor-pointer accent-primary disabled:cursor-not-allowed disabled:opacity-50"
          data-testid={`${testId}-slider`}
        />
        <div className="relative w-28 shrink-0">
          <Input
            id={`${id}-input`}
            inputMode="decimal"
            value={draft}
            disabled={disabled}
            onChange={(e) => commitText(e.target.value)}
            onBlur={() => setDraft(toText(value))}
            aria-invalid={error ? true : undefined}
            aria-describedby={[errorId, hint ? hintId : undefined].filter(Boolean).join(' ') || undefined}
            className="pr-12 text-right tabular-nums"
            data-testid={testId}
          />
          <span className="pointer-events-none absolute right-3 top-1/2 -translate-y-1/2 text-xs text-muted-foreground">
            {unit}
          </span>
        </div>
      </div>
      {error ? (
        <p id={errorId} className="text-[0.8125rem] font-medium text-destructive">
          {error}
        </p>
      ) : null}
      {hint ? (
        <div id={hintId} className="text-[0.8125rem] text-muted-foreground">
          {hint}
        </div>
      ) : null}
    </div>
  );
}

/** The error of a size value against its bounds and step, or undefined when it fits. */
export function sizeError(
  value: number,
  { min, max, step }: { min: number; max: number; step?: number },
  describe: (v: number) => string,
  t: (key: 'vms.size.outOfRange' | 'vms.size.step', params?: Record<string, string>) => string,
): string | undefined {
  if (!Number.isInteger(value) || value < min || value > max) {
    return t('vms.size.outOfRange', { min: describe(min), max: describe(max) });
  }
  if (step && value % step !== 0) return t('vms.size.step', { step: describe(step) });
  return undefined;
}
