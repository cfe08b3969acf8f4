'use client';

import { powerStates, vmStatuses, type PowerState, type VmStatus } from '@uni-manager/contracts';
import { FilterX } from 'lucide-react';
import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { SearchInput } from '@/components/ui/search-input';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { VmsSearch } from './vms-search';

// Radix Select cannot hold an empty value, so "no filter" has a name of its own.
const ALL = 'all';

interface VmsToolbarProps {
  search: VmsSearch;
  onChange: (patch: Partial<VmsSearch>, options?: { replace?: boolean }) => void;
  onClear: () => void;
  filtered: boolean;
  searchPlaceholder: string;
  /** Deleted VMs are only listed for administrators who ask for them. */
  statuses?: readonly VmStatus[];
  /** More filters after the standard ones (the admin's server and "include deleted"). */
  children?: ReactNode;
}

export function VmsToolbar({
  search,
  onChange,
  onClear,
  filtered,
  searchPlaceholder,
  statuses = vmStatuses.filter((s) => s !== 'deleted'),
  children,
}: VmsToolbarProps) {
  const { t } = useI18n();
  return (
    <div className="flex flex-col gap-3 lg:flex-row lg:flex-wrap lg:items-center" role="search">
      <SearchInput
        className="lg:min-w-56 lg:max-w-xs lg:flex-1"
        value={search.q}
        onCommit={(q) => onChange({ q }, { replace: true })}
        label={t('vms.filters.search')}
        clearLabel={t('common.clearSearch')}
        placeholder={searchPlaceholder}
        data-testid="vms-search"
      />
      <div className="grid grid-cols-2 gap-3 sm:flex sm:flex-wrap">
        <Select
          value={search.status ?? ALL}
          onValueChange={(value) => onChange({ status: value === ALL ? undefined : (value as VmStatus) })}
        >
          <SelectTrigger className="sm:w-44" aria-label={t('vms.filters.status')} data-testid="vms-status-filter">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>{t('vms.filters.allStatuses')}</SelectItem>
            {statuses.map((status) => (
              <SelectItem key={status} value={status}>
                {t(`vms.lifecycle.${status}`)}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <Select
          value={search.powerState ?? ALL}
          onValueChange={(value) => onChange({ powerState: value === ALL ? undefined : (value as PowerState) })}
        >
          <SelectTrigger className="sm:w-44" aria-label={t('vms.filters.power')} data-testid="vms-power-filter">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ALL}>{t('vms.filters.allPower')}</SelectItem>
            {powerStates.map((power) => (
              <SelectItem key={power} value={power}>
                {t(`vms.power.${power}`)}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        {children}
      </div>
      {filtered ? (
        <Button variant="ghost" size="sm" className="self-start lg:self-auto" onClick={onClear}>
          <FilterX aria-hidden />
          {t('vms.filters.clear')}
        </Button>
      ) : null}
    </div>
  );
}
