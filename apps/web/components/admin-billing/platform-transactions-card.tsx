'use client';

import type { AdminTransaction } from '@uni-manager/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { CalendarX, Download, ReceiptText, UserRound, X } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ListPagination } from '@/components/ui/pagination';
import { QueryError } from '@/components/ui/query-error';
import { downloadAdminTransactionsCsv, fetchAdminTransactions } from '@/lib/api/admin-billing';
import { fetchUser } from '@/lib/api/admin-users';
import { queryKeys } from '@/lib/api/query-keys';
import { reportError } from '@/lib/errors/report';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { TRANSACTION_PAGE_SIZES, toTransactionsQuery, type BillingSearch, type Period } from './billing-search';
import { KindSelect } from './kind-select';
import { ReverseDialog } from './reverse-dialog';
import { TransactionsTable } from './transactions-table';

interface PlatformTransactionsCardProps {
  search: BillingSearch;
  period: Period;
  /** A filter changed: back to the first page. */
  update: (patch: Partial<BillingSearch>) => void;
  /** The page or its size changed. */
  setSearch: (next: BillingSearch) => void;
  /** False while the period is not a valid one: nothing is asked for then. */
  enabled: boolean;
}

/** Every transaction of the platform in the period, filtered, paged, undoable, and exportable as CSV. */
export function PlatformTransactionsCard({
  search,
  period,
  update,
  setSearch,
  enabled,
}: PlatformTransactionsCardProps) {
  const { t } = useI18n();
  const [reversing, setReversing] = useState<AdminTransaction | null>(null);
  const [exporting, setExporting] = useState(false);
  const query = toTransactionsQuery(search, period);
  const list = useQuery({
    queryKey: queryKeys.adminTransactions(query),
    queryFn: ({ signal }) => fetchAdminTransactions(query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
  // The chip names the user even when none of their transactions is on this page.
  const filteredUser = useQuery({
    queryKey: queryKeys.adminUser(search.user ?? ''),
    queryFn: ({ signal }) => fetchUser(search.user!, signal),
    enabled: Boolean(search.user),
    meta: { silent: true },
  });
  const data = list.data;
  const filtered = Boolean(search.kind || search.user);

  async function exportCsv() {
    const { page: _page, pageSize: _pageSize, ...filters } = query;
    setExporting(true);
    try {
      await downloadAdminTransactionsCsv(filters);
    } catch (err) {
      reportError(err);
    } finally {
      setExporting(false);
    }
  }

  return (
    <Card className="overflow-hidden" aria-labelledby="platform-transactions-title" data-testid="platform-transactions">
      <CardHeader className="gap-3 pb-4 sm:flex-row sm:items-start sm:justify-between sm:pb-4">
        <div className="space-y-1.5">
          <CardTitle id="platform-transactions-title">{t('adminBilling.transactions.title')}</CardTitle>
          <CardDescription>{t('adminBilling.transactions.description')}</CardDescription>
        </div>
        <Button
          variant="outline"
          size="sm"
          onClick={() => void exportCsv()}
          pending={exporting}
          disabled={!enabled}
          className="self-start"
          data-testid="export-csv"
        >
          {exporting ? null : <Download aria-hidden />}
          {t('adminBilling.transactions.export')}
        </Button>
      </CardHeader>
      <div className="flex flex-col gap-3 border-t p-4 sm:flex-row sm:items-center" role="search">
        <KindSelect value={search.kind} onChange={(kind) => update({ kind })} />
        {search.user ? (
          <span className="inline-flex min-w-0 items-center gap-1.5 self-start rounded-full border bg-muted px-2.5 py-0.5 text-sm sm:self-auto">
            <UserRound className="size-3.5 shrink-0 text-muted-foreground" aria-hidden />
            <span className="truncate">
              {t('adminBilling.transactions.userFilter', {
                user: filteredUser.data?.email ?? t('adminBilling.transactions.oneUser'),
              })}
            </span>
            <button
              type="button"
              onClick={() => update({ user: undefined })}
              aria-label={t('adminBilling.transactions.clearUser')}
              className="-mr-1 rounded p-0.5 text-muted-foreground hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
              data-testid="clear-user-filter"
            >
              <X className="size-3.5" aria-hidden />
            </button>
          </span>
        ) : null}
      </div>
      <div className="border-t">
        {!enabled ? (
          <EmptyState icon={CalendarX} title={t('adminBilling.period.invalid')} />
        ) : list.isError && !data ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        ) : data && data.items.length === 0 ? (
          <EmptyState
            icon={ReceiptText}
            title={t('adminBilling.transactions.empty')}
            description={filtered ? t('adminBilling.transactions.emptyHint') : undefined}
            action={
              filtered ? (
                <Button variant="outline" size="sm" onClick={() => update({ kind: undefined, user: undefined })}>
                  {t('adminBilling.transactions.clearFilters')}
                </Button>
              ) : undefined
            }
          />
        ) : (
          <TransactionsTable
            transactions={data?.items}
            showUser
            onReverse={setReversing}
            stale={list.isPlaceholderData}
            label={t('adminBilling.transactions.title')}
          />
        )}
      </div>
      <ListPagination
        total={data?.total}
        search={search}
        onChange={setSearch}
        pageSizeOptions={TRANSACTION_PAGE_SIZES}
      />
      <ReverseDialog transaction={reversing} owner={reversing?.user?.email} onClose={() => setReversing(null)} />
    </Card>
  );
}
