'use client';

import { FormField } from '@/components/ui/form-field';
import { Textarea } from '@/components/ui/textarea';
import { useI18n } from '@/lib/i18n/i18n-provider';

interface ReasonFieldProps {
  value: string;
  onChange: (value: string) => void;
  /** Who will read the reason, which differs by action. */
  hint: string;
  error?: string;
  testId: string;
  rows?: number;
  autoFocus?: boolean;
}

/** Why credits move: the API asks for one on every admin change (at most 500 characters). */
export function ReasonField({ value, onChange, hint, error, testId, rows = 3, autoFocus }: ReasonFieldProps) {
  const { t } = useI18n();
  return (
    <FormField label={t('adminBilling.reason')} hint={hint} error={error}>
      {(control) => (
        <Textarea
          {...control}
          name="reason"
          rows={rows}
          maxLength={500}
          autoFocus={autoFocus}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          data-testid={testId}
        />
      )}
    </FormField>
  );
}
