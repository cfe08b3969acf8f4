'use client';

import { transferKinds, type TransferKind } from '@uni-manager/contracts';
import { FilterX } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { DateRangeFields } from '@/components/ui/date-range-fields';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { useT } from '@/lib/i18n/i18n-provider';
import { isRangeValid } from '@/lib/days';
import { isFiltered, type CreditsSearch } from './credits-search';

const ALL = 'all';

export interface VmOption {
  id: string;
  name: string;
  deleted: boolean;
}

interface TransactionFiltersProps {
  search: CreditsSearch;
  onChange: (patch: Partial<CreditsSearch>, options?: { replace?: boolean }) => void;
  vms: VmOption[];
}

export function TransactionFilters({ search, onChange, vms }: TransactionFiltersProps) {
  const t = useT();
  const rangeError = isRangeValid(search) ? undefined : t('credits.filters.invalidRange');
  // A VM named in the address but not listed (yet) still shows as chosen rather than as "all".
  const options =
    search.vmId && !vms.some((v) => v.id === search.vmId)
      ? [...vms, { id: search.vmId, name: t('credits.filters.thisVm'), deleted: false }]
      : vms;

  return (
    <div
      role="search"
      className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto_auto] xl:items-start"
    >
      <div className="grid gap-2">
        <Label id="credits-kind-label">{t('credits.filters.kind')}</Label>
        <Select
          value={search.kind ?? ALL}
          onValueChange={(value) => onChange({ kind: value === ALL ? undefined : (value as TransferKind) })}
        >
          <SelectTrigger aria-labelledby="credits-kind-label" data-testid="credits-kind-filter">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>{t('credits.filters.allKinds')}</SelectItem>
            {transferKinds.map((kind) => (
              <SelectItem key={kind} value={kind}>
                {t(`credits.kinds.${kind}`)}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      <div className="grid gap-2">
        <Label id="credits-vm-label">{t('credits.filters.vm')}</Label>
        <Select
          value={search.vmId ?? ALL}
          onValueChange={(value) => onChange({ vmId: value === ALL ? undefined : value })}
        >
          <SelectTrigger aria-labelledby="credits-vm-label" data-testid="credits-vm-filter">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>{t('credits.filters.allVms')}</SelectItem>
            {options.map((vm) => (
              <SelectItem key={vm.id} value={vm.id}>
                {vm.deleted ? t('credits.filters.deletedVm', { name: vm.name }) : vm.name}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      <DateRangeFields
        from={search.from}
        to={search.to}
        labels={{ from: t('credits.filters.from'), to: t('credits.filters.to') }}
        testIds={{ from: 'credits-from', to: 'credits-to' }}
        error={rangeError}
        onChange={onChange}
        className="sm:col-span-2 xl:col-span-1"
        inputClassName="xl:w-40"
      />
      <div className="flex items-end sm:col-span-2 xl:col-span-1 xl:self-end">
        <Button
          variant="ghost"
          size="sm"
          className="h-9"
          disabled={!isFiltered(search)}
          onClick={() => onChange({ kind: undefined, vmId: undefined, from: undefined, to: undefined })}
          data-testid="credits-clear-filters"
        >
          <FilterX aria-hidden />
          {t('credits.filters.clear')}
        </Button>
      </div>
    </div>
  );
}
