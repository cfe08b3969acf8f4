'use client';

import { transferKinds, type TransferKind } from '@uni-manager/contracts';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';

// Radix Select cannot hold an empty value, so "every kind" has a name of its own.
const ALL = 'all';

export function KindSelect({
  value,
  onChange,
  className,
  testId = 'kind-filter',
}: {
  value: TransferKind | undefined;
  onChange: (kind: TransferKind | undefined) => void;
  className?: string;
  testId?: string;
}) {
  const { t, dict } = useI18n();
  return (
    <Select value={value ?? ALL} onValueChange={(v) => onChange(v === ALL ? undefined : (v as TransferKind))}>
      <SelectTrigger
        className={cn('sm:w-48', className)}
        aria-label={t('adminBilling.kindFilter')}
        data-testid={testId}
      >
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        <SelectItem value={ALL}>{t('adminBilling.allKinds')}</SelectItem>
        {transferKinds.map((kind) => (
          <SelectItem key={kind} value={kind}>
            {dict.adminBilling.kinds[kind]}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
