'use client';

import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { cn } from '@/lib/utils';

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

/** Two date boxes, "from" and "to", each keeping the other's side of the calendar. */
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
  return (
    <div className={cn('grid grid-cols-2 gap-3', className)}>
      <FormField label={labels.from} error={error}>
        {(control) => (
          <Input
            {...control}
            type="date"
            value={from ?? ''}
            max={to}
            onChange={(e) => (e.target.value || clearable) && onChange({ from: e.target.value || undefined })}
            data-testid={testIds.from}
            className={inputClassName}
          />
        )}
      </FormField>
      <FormField label={labels.to}>
        {(control) => (
          <Input
            {...control}
            type="date"
            value={to ?? ''}
            min={from}
            max={max}
            onChange={(e) => (e.target.value || clearable) && onChange({ to: e.target.value || undefined })}
            data-testid={testIds.to}
            className={inputClassName}
          />
        )}
      </FormField>
    </div>
  );
}
