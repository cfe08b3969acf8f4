'use client';

import { FormField } from '@/components/ui/form-field';
import { useT } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { DateInput } from './date-input';

interface DateRangeFieldsProps {
  /** Calendar days (YYYY-MM-DD); undefined where that end is open. */
  from: string | undefined;
  to: string | undefined;
  labels: { from: string; to: string };
  testIds: { from: string; to: string };
  /** Why the range is not a valid one, shown under "from". */
  error?: string;
  /** The last day "to" may take, e.g. today. */
  max?: string;
  /**
   * Whether emptying a box clears that end (the change says `undefined`).
   * When false, both ends are always set and an emptied box changes nothing.
   */
  clearable?: boolean;
  onChange: (patch: { from?: string; to?: string }) => void;
  className?: string;
  inputClassName?: string;
}

/** Two date boxes, "from" and "to", each keeping the other's side of the calendar, typed day first as the app writes dates. */
export function DateRangeFields({
  from,
  to,
  labels,
  testIds,
  error,
  max,
  clearable = true,
  onChange,
  className,
  inputClassName,
}: DateRangeFieldsProps) {
  const t = useT();
  return (
    <div className={cn('grid grid-cols-2 gap-3', className)}>
      <FormField label={labels.from} error={error}>
        {(control) => (
          <DateInput
            {...control}
            value={from ?? ''}
            max={to}
            pickLabel={`${labels.from}: ${t('common.pickDate')}`}
            onChange={(day) => (day || clearable) && onChange({ from: day || undefined })}
            data-testid={testIds.from}
            className={inputClassName}
          />
        )}
      </FormField>
      <FormField label={labels.to}>
        {(control) => (
          <DateInput
            {...control}
            value={to ?? ''}
            min={from}
            max={max}
            pickLabel={`${labels.to}: ${t('common.pickDate')}`}
            onChange={(day) => (day || clearable) && onChange({ to: day || undefined })}
            data-testid={testIds.to}
            className={inputClassName}
          />
        )}
      </FormField>
    </div>
  );
}
