'use client';

import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { SortOrder, VmSortField } from './vms-search';

const options: Array<[VmSortField, SortOrder]> = [
  ['createdAt', 'desc'],
  ['createdAt', 'asc'],
  ['name', 'asc'],
  ['name', 'desc'],
  ['status', 'asc'],
  ['powerState', 'asc'],
];

/** On phones the column headers are gone with the table, so sorting is a select. */
export function SortSelect({
  sort,
  order,
  onChange,
  className,
}: {
  sort: VmSortField;
  order: SortOrder;
  onChange: (field: VmSortField, order: SortOrder) => void;
  className?: string;
}) {
  const { t } = useI18n();
  return (
    <div className={className}>
      <Select
        value={`${sort}:${order}`}
        onValueChange={(value) => {
          const [field, dir] = value.split(':') as [VmSortField, SortOrder];
          onChange(field, dir);
        }}
      >
        <SelectTrigger aria-label={t('vms.sort.label')} data-testid="vms-sort">
          <SelectValue placeholder={t('vms.sort.label')} />
        </SelectTrigger>
        <SelectContent>
          {options.map(([field, dir]) => (
            <SelectItem key={`${field}:${dir}`} value={`${field}:${dir}`}>
              {t(`vms.sort.${field}.${dir}`)}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}
