'use client';

import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { ToggleGroup, ToggleGroupItem } from '@/components/ui/toggle-group';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { presetOf, presetPeriod, presets, type Period, type PresetId } from './billing-search';

interface PeriodPickerProps {
  period: Period;
  today: string;
  error?: string;
  onChange: (period: Partial<Period>) => void;
}

/** The report's period: a few usual spans in one click, or any two days. */
export function PeriodPicker({ period, today, error, onChange }: PeriodPickerProps) {
  const { t } = useI18n();
  const preset = presetOf(period, today);
  return (
    <div className="flex flex-col gap-4 lg:flex-row lg:items-end lg:justify-between" data-testid="period-picker">
      <ToggleGroup
        type="single"
        value={preset ?? ''}
        onValueChange={(value) => value && onChange(presetPeriod(value as PresetId, today))}
        aria-label={t('adminBilling.period.presets')}
        className="self-start lg:self-auto"
        data-testid="period-presets"
      >
        {presets.map((p) => (
          <ToggleGroupItem key={p.id} value={p.id} data-preset={p.id}>
            {t(`adminBilling.period.${p.id}`)}
          </ToggleGroupItem>
        ))}
      </ToggleGroup>
      <div className="grid grid-cols-2 gap-3 sm:flex sm:items-start">
        <FormField label={t('adminBilling.period.from')} error={error}>
          {(control) => (
            <Input
              {...control}
              type="date"
              value={period.from}
              max={period.to}
              onChange={(e) => e.target.value && onChange({ from: e.target.value })}
              className="sm:w-40"
              data-testid="period-from"
            />
          )}
        </FormField>
        <FormField label={t('adminBilling.period.to')}>
          {(control) => (
            <Input
              {...control}
              type="date"
              value={period.to}
              min={period.from}
              max={today}
              onChange={(e) => e.target.value && onChange({ to: e.target.value })}
              className="sm:w-40"
              data-testid="period-to"
            />
          )}
        </FormField>
      </div>
    </div>
  );
}
