'use client';

import { vmStatuses, type Vm } from '@uni-manager/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Ellipsis, Eye, SearchX, UserRound, X } from 'lucide-react';
import Link from 'next/link';
import { useId } from 'react';
import { PageHeader } from '@/components/layout/page-header';
import { LostVmsAlert } from './lost-vms-alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { EmptyState } from '@/components/ui/empty-state';
import { ListPagination } from '@/components/ui/pagination';
import { QueryError } from '@/components/ui/query-error';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Switch } from '@/components/ui/switch';
import { queryKeys } from '@/lib/api/query-keys';
import { fetchServers } from '@/lib/api/servers';
import { fetchAdminVms } from '@/lib/api/vms';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { LIVE_SAFETY_POLL_MS, useFallbackPoll } from '@/lib/live/live-provider';
import { nextOrder, usePagedSearchState } from '@/lib/use-search-state';
import { actionIcon } from './action-visuals';
import { refreshIntervalFor } from './refresh';
import { SortSelect } from './sort-select';
import { actionBlocker, canDelete, powerActionsFor, type VmActionKind } from './vm-actions-model';
import { useVmActions } from './vm-dialogs';
import {
  defaultOrderFor,
  isFiltered,
  PAGE_SIZES,
  parseAdminVmsSearch,
  serializeAdminVmsSearch,
  toAdminVmsQuery,
  type SortOrder,
  type VmSortField,
} from './vms-search';
import { VmsTable } from './vms-table';
import { VmsToolbar } from './vms-toolbar';

const ALL = 'all';

export function AdminVmsPage() {
  const { t } = useI18n();
  const switchId = useId();
  const [search, setSearch, update] = usePagedSearchState(parseAdminVmsSearch, serializeAdminVmsSearch);
  const { run, dialogs, busyId } = useVmActions();
  const poll = useFallbackPoll();
  const query = toAdminVmsQuery(search);
  const vms = useQuery({
    queryKey: queryKeys.adminVms(query),
    queryFn: ({ signal }) => fetchAdminVms(query, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => poll(refreshIntervalFor(q.state.data?.items), LIVE_SAFETY_POLL_MS),
    refetchOnWindowFocus: 'always',
  });
  const servers = useQuery({ queryKey: queryKeys.adminServers, queryFn: ({ signal }) => fetchServers(signal) });

  function onSort(field: VmSortField, order?: SortOrder) {
    update({ sort: field, order: order ?? nextOrder(search, field, defaultOrderFor) });
  }

  const filtered = isFiltered(search) || Boolean(search.serverId || search.ownerId || search.includeDeleted);
  const clearFilters = () =>
    update({
      q: '',
      status: undefined,
      powerState: undefined,
      serverId: undefined,
      ownerId: undefined,
      includeDeleted: false,
    });
  const data = vms.data;
  const ownerEmail = search.ownerId ? data?.items.find((vm) => vm.owner.id === search.ownerId)?.owner.email : undefined;

  return (
    <>
      <PageHeader title={t('vms.admin.title')} description={t('vms.admin.subtitle')} />
      {search.status === 'lost' ? null : (
        <div className="mb-6">
          <LostVmsAlert />
        </div>
      )}
      <Card className="overflow-hidden">
        <div className="flex flex-col gap-3 border-b p-4">
          <VmsToolbar
            search={search}
            onChange={update}
            onClear={clearFilters}
            filtered={filtered}
            searchPlaceholder={t('vms.admin.searchPlaceholder')}
            statuses={search.includeDeleted ? vmStatuses : vmStatuses.filter((s) => s !== 'deleted')}
          >
            <Select
              value={search.serverId ?? ALL}
              onValueChange={(value) => update({ serverId: value === ALL ? undefined : value })}
            >
              <SelectTrigger className="sm:w-48" aria-label={t('vms.admin.server')} data-testid="vms-server-filter">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value={ALL}>{t('vms.admin.allServers')}</SelectItem>
                {(servers.data ?? []).map((server) => (
                  <SelectItem key={server.id} value={server.id}>
                    {server.name}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
            <div className="col-span-2 flex h-9 items-center gap-2.5 sm:col-span-1">
              <Switch
                id={switchId}
                checked={search.includeDeleted}
                onCheckedChange={(on) =>
                  update({ includeDeleted: on, status: !on && search.status === 'deleted' ? undefined : search.status })
                }
                data-testid="vms-include-deleted"
              />
              <label htmlFor={switchId} className="text-sm">
                {t('vms.admin.includeDeleted')}
              </label>
            </div>
          </VmsToolbar>
          {search.ownerId ? (
            <div className="flex items-center gap-2 text-sm">
              <span className="inline-flex items-center gap-1.5 rounded-full border bg-muted px-2.5 py-0.5">
                <UserRound className="size-3.5 text-muted-foreground" aria-hidden />
                {t('vms.admin.ownerFilter', { owner: ownerEmail ?? t('vms.admin.oneUser') })}
                <button
                  type="button"
                  onClick={() => update({ ownerId: undefined })}
                  aria-label={t('vms.admin.clearOwner')}
                  className="-mr-1 rounded p-0.5 text-muted-foreground hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
                >
                  <X className="size-3.5" aria-hidden />
                </button>
              </span>
            </div>
          ) : null}
          <SortSelect sort={search.sort} order={search.order} onChange={onSort} className="md:hidden" />
        </div>
        {vms.isError && !data ? (
          <QueryError error={vms.error} onRetry={() => void vms.refetch()} />
        ) : data && data.items.length === 0 ? (
          <EmptyState
            icon={SearchX}
            title={filtered ? t('vms.empty.filtered') : t('vms.admin.empty')}
            description={filtered ? t('vms.empty.filteredHint') : undefined}
            action={
              filtered ? (
                <Button variant="outline" size="sm" onClick={clearFilters}>
                  {t('vms.filters.clear')}
                </Button>
              ) : undefined
            }
          />
        ) : (
          <VmsTable
            vms={data?.items}
            sort={search.sort}
            order={search.order}
            onSort={(field) => onSort(field)}
            stale={vms.isPlaceholderData}
            admin
            rowActions={(vm) => <AdminVmMenu vm={vm} onAction={(kind) => run(vm, kind)} busy={busyId === vm.id} />}
            label={t('vms.admin.table')}
          />
        )}
        <ListPagination total={data?.total} search={search} onChange={setSearch} pageSizeOptions={PAGE_SIZES} />
      </Card>
      {dialogs}
    </>
  );
}

const menuActions: VmActionKind[] = ['start', 'shutdown', 'stop'];

function AdminVmMenu({ vm, onAction, busy }: { vm: Vm; onAction: (kind: VmActionKind) => void; busy: boolean }) {
  const { t, format } = useI18n();
  const fits = powerActionsFor(vm);
  const available = menuActions.filter((kind) => fits.includes(kind as (typeof fits)[number]));
  return (
    <DropdownMenu modal={false}>
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          size="icon-sm"
          aria-label={t('vms.admin.menu', { name: vm.name })}
          data-testid="vm-row-menu"
        >
          <Ellipsis aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent className="w-56">
        <DropdownMenuItem asChild data-testid="vm-menu-view">
          <Link href={`/vms/${vm.id}`}>
            <Eye aria-hidden />
            {t('vms.admin.view')}
          </Link>
        </DropdownMenuItem>
        {available.length > 0 ? <DropdownMenuSeparator /> : null}
        {available.map((kind) => {
          const Icon = actionIcon[kind];
          const blocker = actionBlocker(vm, kind, t, format);
          return (
            <DropdownMenuItem
              key={kind}
              disabled={busy || blocker !== null}
              onSelect={() => onAction(kind)}
              title={blocker ?? undefined}
              data-testid={`vm-menu-${kind}`}
            >
              <Icon aria-hidden />
              {t(`vms.actions.${kind}`)}
            </DropdownMenuItem>
          );
        })}
        {canDelete(vm) ? (
          <>
            <DropdownMenuSeparator />
            <DropdownMenuItem
              destructive
              disabled={actionBlocker(vm, 'delete', t, format) !== null}
              onSelect={() => onAction('delete')}
              data-testid="vm-menu-delete"
            >
              <actionIcon.delete aria-hidden />
              {t('vms.actions.delete')}
            </DropdownMenuItem>
          </>
        ) : null}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
