'use client';

import { DateRangeFields } from '@/components/ui/date-range-fields';
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
      {/* A period always has both ends: emptying a box leaves it as it was. */}
      <DateRangeFields
        from={period.from}
        to={period.to}
        labels={{ from: t('adminBilling.period.from'), to: t('adminBilling.period.to') }}
        testIds={{ from: 'period-from', to: 'period-to' }}
        error={error}
        max={today}
        clearable={false}
        onChange={onChange}
        className="sm:flex sm:items-start"
        inputClassName="sm:w-40"
      />
    </div>
  );
}
