'use client';

import { MAX_ADJUSTMENT } from '@uni-manager/contracts';
import type { ReactNode } from 'react';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { parseCredits } from '@/lib/credits';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { Translate } from '@/lib/i18n/translate';

export type ParsedCredits = { ok: true; minor: number } | { ok: false; error: string };

/** An amount typed in credits, as minor units within [min, max], or why it is not one. */
export function readCredits(
  input: string,
  t: Translate,
  { min = 1, max = MAX_ADJUSTMENT }: { min?: number; max?: number } = {},
): ParsedCredits {
  if (!input.trim()) return { ok: false, error: t('validation.required') };
  const minor = parseCredits(input);
  if (minor === null) return { ok: false, error: t('adminBilling.amount.invalid') };
  if (minor < min) return { ok: false, error: t('adminBilling.amount.positive') };
  if (minor > max) return { ok: false, error: t('adminBilling.amount.tooLarge') };
  return { ok: true, minor };
}

interface CreditsFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: ReactNode;
  testId: string;
  autoFocus?: boolean;
  name?: string;
}

/** A number of credits: decimals with a point or a comma, the unit beside the box. */
export function CreditsField({ label, value, onChange, error, hint, testId, autoFocus, name }: CreditsFieldProps) {
  const { t } = useI18n();
  return (
    <FormField label={label} error={error} hint={hint}>
      {(control) => (
        <div className="flex items-center gap-2">
          <Input
            {...control}
            name={name}
            inputMode="decimal"
            autoComplete="off"
            autoFocus={autoFocus}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            className="tabular-nums"
            data-testid={testId}
          />
          <span className="shrink-0 text-sm text-muted-foreground">{t('adminBilling.money.unit')}</span>
        </div>
      )}
    </FormField>
  );
}
