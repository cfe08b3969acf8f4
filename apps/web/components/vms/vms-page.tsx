'use client';

import type { Vm } from '@uni-manager/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { MonitorPlay, Plus, SearchX } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { PageHeader } from '@/components/layout/page-header';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ListPagination } from '@/components/ui/pagination';
import { QueryError } from '@/components/ui/query-error';
import { queryKeys } from '@/lib/api/query-keys';
import { fetchVms } from '@/lib/api/vms';
import { useT } from '@/lib/i18n/i18n-provider';
import { LIVE_SAFETY_POLL_MS, useFallbackPoll } from '@/lib/live/live-provider';
import { nextOrder, usePagedSearchState } from '@/lib/use-search-state';
import { refreshIntervalFor } from './refresh';
import { SortSelect } from './sort-select';
import { BulkBar } from './vms-bulk';
import { useVmActions } from './vm-dialogs';
import { VmRowActions } from './vm-row-actions';
import {
  defaultOrderFor,
  isFiltered,
  PAGE_SIZES,
  parseVmsSearch,
  serializeVmsSearch,
  toVmsQuery,
  type SortOrder,
  type VmSortField,
} from './vms-search';
import { VmsTable } from './vms-table';
import { VmsToolbar } from './vms-toolbar';

function CreateButton({ testId }: { testId: string }) {
  const t = useT();
  return (
    <Button asChild data-testid={testId}>
      <Link href="/vms/new">
        <Plus aria-hidden />
        {t('vms.create.button')}
      </Link>
    </Button>
  );
}

export function VmsPage() {
  const t = useT();
  const [search, setSearch, update] = usePagedSearchState(parseVmsSearch, serializeVmsSearch);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const query = toVmsQuery(search);
  const { run, dialogs, busyId } = useVmActions();
  const poll = useFallbackPoll();
  const vms = useQuery({
    queryKey: queryKeys.vmList(query),
    queryFn: ({ signal }) => fetchVms(query, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => poll(refreshIntervalFor(q.state.data?.items), LIVE_SAFETY_POLL_MS),
    refetchOnWindowFocus: 'always',
  });

  function onSort(field: VmSortField, order?: SortOrder) {
    update({ sort: field, order: order ?? nextOrder(search, field, defaultOrderFor) });
  }

  const data = vms.data;
  const filtered = isFiltered(search);
  // Only VMs on the current page count as selected: a bulk action never reaches rows the user cannot see.
  const selectedVms = (data?.items ?? []).filter((vm) => selected.has(vm.id));
  const clearFilters = () => update({ q: '', status: undefined, powerState: undefined });

  function toggle(vm: Vm, on: boolean) {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(vm.id);
      else next.delete(vm.id);
      return next;
    });
  }

  function toggleAll(on: boolean) {
    setSelected(on ? new Set((data?.items ?? []).map((vm) => vm.id)) : new Set());
  }

  const firstVisit = data && data.total === 0 && !filtered;

  return (
    <>
      <PageHeader
        title={t('vms.title')}
        description={t('vms.subtitle')}
        actions={firstVisit ? null : <CreateButton testId="vm-create-button" />}
      />
      <Card className="overflow-hidden">
        {firstVisit ? null : (
          <div className="flex flex-col gap-3 border-b p-4">
            <VmsToolbar
              search={search}
              onChange={update}
              onClear={clearFilters}
              filtered={filtered}
              searchPlaceholder={t('vms.filters.searchPlaceholder')}
            />
            <SortSelect sort={search.sort} order={search.order} onChange={onSort} className="md:hidden" />
          </div>
        )}
        <BulkBar selected={selectedVms} onClear={() => setSelected(new Set())} />
        {vms.isError && !data ? (
          <QueryError error={vms.error} onRetry={() => void vms.refetch()} />
        ) : firstVisit ? (
          <EmptyState
            icon={MonitorPlay}
            title={t('vms.empty.title')}
            description={t('vms.empty.description')}
            action={<CreateButton testId="vm-create-empty" />}
            className="py-16"
          />
        ) : data && data.items.length === 0 ? (
          <EmptyState
            icon={SearchX}
            title={t('vms.empty.filtered')}
            description={t('vms.empty.filteredHint')}
            action={
              <Button variant="outline" size="sm" onClick={clearFilters}>
                {t('vms.filters.clear')}
              </Button>
            }
          />
        ) : (
          <VmsTable
            vms={data?.items}
            sort={search.sort}
            order={search.order}
            onSort={(field) => onSort(field)}
            stale={vms.isPlaceholderData}
            selection={{ selected, onToggle: toggle, onToggleAll: toggleAll }}
            label={t('vms.list.label')}
            rowActions={(vm) => <VmRowActions vm={vm} onAction={(kind) => run(vm, kind)} sending={busyId === vm.id} />}
          />
        )}
        <ListPagination total={data?.total} search={search} onChange={setSearch} pageSizeOptions={PAGE_SIZES} />
      </Card>
      {data && data.total > 0 ? <p className="mt-3 text-xs text-muted-foreground">{t('vms.list.liveHint')}</p> : null}
      {dialogs}
    </>
  );
}
