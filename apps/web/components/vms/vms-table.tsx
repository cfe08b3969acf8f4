'use client';

import type { Vm } from '@uni-manager/contracts';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { RelativeTime } from '@/components/audit/event-time';
import { Checkbox } from '@/components/ui/checkbox';
import { Skeleton } from '@/components/ui/skeleton';
import { SortableHead } from '@/components/ui/sortable-head';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { formatSize } from './vm-format';
import { VmStatusBadge } from './vm-status';
import type { SortOrder, VmSortField } from './vms-search';

export interface VmSelection {
  selected: ReadonlySet<string>;
  onToggle: (vm: Vm, on: boolean) => void;
  onToggleAll: (on: boolean) => void;
}

interface VmsTableProps {
  vms: Vm[] | undefined;
  sort: VmSortField;
  order: SortOrder;
  onSort: (field: VmSortField) => void;
  stale?: boolean;
  selection?: VmSelection;
  /** The administrator's view: owner, server and VMID columns. */
  admin?: boolean;
  rowActions?: (vm: Vm) => ReactNode;
  label: string;
}

/*
 * One table for every width: from md up it is a table; below, each row is a
 * card (the cells stack, each labelled from data-label by CSS), so the same
 * DOM serves both and nothing is rendered twice.
 */
const row = 'relative grid grid-cols-[1.75rem_minmax(0,1fr)_auto] gap-x-2 gap-y-1.5 px-4 py-3.5 md:table-row md:p-0';
// The cells' own edge padding is for the table; the card has its own.
const edges = 'first:pl-0 last:pr-0 md:first:pl-5 md:last:pr-5';
const cell = `col-start-2 col-end-4 block p-0 md:table-cell md:px-3 md:py-3 ${edges}`;
const labelled =
  'text-[0.8125rem] before:mr-1.5 before:text-muted-foreground before:content-[attr(data-label)] md:text-sm md:before:content-none';
const linkClass = 'underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-ring';

export function VmsTable({ vms, sort, order, onSort, stale, selection, admin, rowActions, label }: VmsTableProps) {
  const { t, format } = useI18n();
  const head = (field: VmSortField, text: string, className?: string) => (
    <SortableHead
      field={field}
      label={text}
      sort={sort}
      order={order}
      onSort={onSort}
      className={className}
      testIdPrefix="vms-sort-"
    />
  );
  const visible = vms ?? [];
  const selectedCount = selection ? visible.filter((vm) => selection.selected.has(vm.id)).length : 0;
  const allState = selectedCount === 0 ? false : selectedCount === visible.length ? true : 'indeterminate';

  return (
    <Table data-testid="vms-table" aria-busy={stale || vms === undefined} aria-label={label} className="block md:table">
      <TableHeader className="hidden md:table-header-group">
        <TableRow className="hover:bg-transparent">
          {selection ? (
            <TableHead className="w-10">
              <Checkbox
                checked={allState}
                onCheckedChange={(v) => selection.onToggleAll(v === true)}
                disabled={visible.length === 0}
                aria-label={t('vms.list.selectAll')}
                data-testid="vm-select-all"
              />
            </TableHead>
          ) : null}
          {head('name', t('vms.columns.name'))}
          {admin ? <TableHead>{t('vms.columns.owner')}</TableHead> : null}
          {admin ? null : <TableHead>{t('vms.columns.size')}</TableHead>}
          {head('status', t('vms.columns.status'))}
          <TableHead>{admin ? t('vms.columns.placement') : t('vms.columns.node')}</TableHead>
          {admin ? <TableHead>{t('vms.columns.vmid')}</TableHead> : null}
          {head('createdAt', t('vms.columns.created'))}
          {rowActions ? (
            <TableHead className="w-12">
              <span className="sr-only">{t('common.actions')}</span>
            </TableHead>
          ) : null}
        </TableRow>
      </TableHeader>
      <TableBody className={cn('block md:table-row-group', stale && 'opacity-60 transition-opacity')}>
        {vms === undefined
          ? Array.from({ length: 4 }, (_, i) => (
              <TableRow key={i} aria-hidden className={row}>
                {selection ? <TableCell className="hidden md:table-cell" /> : null}
                <TableCell className={cell}>
                  <Skeleton className="h-4 w-36" />
                  <Skeleton className="mt-1.5 h-3 w-24" />
                </TableCell>
                <TableCell className={cell}>
                  <Skeleton className="h-4 w-28" />
                </TableCell>
                <TableCell className={cell}>
                  <Skeleton className="h-5 w-20 rounded-full" />
                </TableCell>
                <TableCell className={cn(cell, 'hidden')}>
                  <Skeleton className="h-4 w-16" />
                </TableCell>
                {admin ? <TableCell className={cn(cell, 'hidden')} /> : null}
                <TableCell className={cn(cell, 'hidden')}>
                  <Skeleton className="h-4 w-20" />
                </TableCell>
                {rowActions ? <TableCell className="hidden md:table-cell" /> : null}
              </TableRow>
            ))
          : visible.map((vm) => {
              const checked = selection?.selected.has(vm.id) ?? false;
              return (
                <TableRow
                  key={vm.id}
                  className={row}
                  data-state={checked ? 'selected' : undefined}
                  data-testid={`vm-row-${vm.name}`}
                  data-vm-id={vm.id}
                >
                  {selection ? (
                    <TableCell
                      className={cn(
                        'col-start-1 row-span-5 block p-0 pt-0.5 md:table-cell md:w-10 md:px-3 md:py-3',
                        edges,
                      )}
                    >
                      <Checkbox
                        checked={checked}
                        onCheckedChange={(v) => selection.onToggle(vm, v === true)}
                        aria-label={t('vms.list.select', { name: vm.name })}
                        data-testid={`vm-select-${vm.name}`}
                      />
                    </TableCell>
                  ) : null}
                  <TableCell className={cn(cell, !selection && 'col-start-1', 'col-end-3 min-w-0 md:max-w-72')}>
                    {/* A deleted VM has no page any more: only the admin's history lists it. */}
                    {vm.status === 'deleted' ? (
                      <span className="block truncate font-medium text-muted-foreground">{vm.name}</span>
                    ) : (
                      <Link href={`/vms/${vm.id}`} className={cn('block truncate font-medium', linkClass)}>
                        {vm.name}
                      </Link>
                    )}
                    <p className="truncate text-xs text-muted-foreground">
                      {vm.template?.osLabel ?? t('vms.detail.templateRemoved')}
                    </p>
                  </TableCell>
                  {admin ? (
                    <TableCell
                      className={cn(cell, labelled, !selection && 'col-start-1', 'min-w-0 md:max-w-56')}
                      data-label={t('vms.columns.owner')}
                    >
                      <Link href={`/admin/users/${vm.owner.id}`} className={cn('truncate', linkClass)}>
                        {vm.owner.email}
                      </Link>
                    </TableCell>
                  ) : (
                    <TableCell
                      className={cn(cell, labelled, !selection && 'col-start-1', 'whitespace-nowrap tabular-nums')}
                      data-label={t('vms.columns.size')}
                    >
                      {formatSize(vm, t, format)}
                    </TableCell>
                  )}
                  <TableCell
                    className={cn(
                      'col-start-3 row-start-1 block p-0 text-right md:table-cell md:px-3 md:py-3 md:text-left',
                      edges,
                    )}
                  >
                    <VmStatusBadge vm={vm} />
                  </TableCell>
                  <TableCell
                    className={cn(cell, labelled, !selection && 'col-start-1', 'whitespace-nowrap')}
                    data-label={admin ? t('vms.columns.placement') : t('vms.columns.node')}
                  >
                    {admin && vm.server ? (
                      <>
                        <Link href={`/admin/servers/${vm.server.id}`} className={linkClass}>
                          {vm.server.name}
                        </Link>
                        {vm.node ? <span className="text-muted-foreground"> / {vm.node}</span> : null}
                      </>
                    ) : (
                      (vm.node ?? <span className="text-muted-foreground">{t('common.none')}</span>)
                    )}
                  </TableCell>
                  {admin ? (
                    <TableCell
                      className={cn(cell, labelled, !selection && 'col-start-1', 'font-mono tabular-nums')}
                      data-label={t('vms.columns.vmid')}
                    >
                      {vm.vmid ?? <span className="text-muted-foreground">{t('common.none')}</span>}
                    </TableCell>
                  ) : null}
                  <TableCell
                    className={cn(
                      cell,
                      labelled,
                      !selection && 'col-start-1',
                      'whitespace-nowrap text-muted-foreground',
                    )}
                    data-label={t('vms.columns.created')}
                  >
                    <RelativeTime iso={vm.createdAt} />
                  </TableCell>
                  {rowActions ? (
                    <TableCell
                      className={cn(
                        'absolute bottom-2.5 right-3 block p-0 md:static md:table-cell md:px-3 md:py-3 md:text-right',
                        edges,
                      )}
                    >
                      {rowActions(vm)}
                    </TableCell>
                  ) : null}
                </TableRow>
              );
            })}
      </TableBody>
    </Table>
  );
}
