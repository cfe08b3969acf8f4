'use client';

import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Download, Plus, ReceiptText } from 'lucide-react';
import Link from 'next/link';
import { useMemo } from 'react';
import { PageHeader } from '@/components/layout/page-header';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ListPagination } from '@/components/ui/pagination';
import { QueryError } from '@/components/ui/query-error';
import { downloadMyTransactionsCsv, fetchMyTransactions } from '@/lib/api/credits';
import { queryKeys } from '@/lib/api/query-keys';
import { isRangeValid } from '@/lib/days';
import { fetchVms } from '@/lib/api/vms';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { usePagedSearchState } from '@/lib/use-search-state';
import { BalanceStats } from './balance-stats';
import { CheckoutReturnNotice } from './checkout-return-notice';
import {
  CREDITS_PAGE_SIZES,
  isFiltered,
  parseCreditsSearch,
  serializeCreditsSearch,
  toTransactionFilters,
  toTransactionsQuery,
} from './credits-search';
import { useCycleText, useMoney } from './money';
import { TransactionFilters, type VmOption } from './transaction-filters';
import { TransactionsTable } from './transactions-table';
import { useBalance } from './use-billing';

/** The caller's VMs for the filter, deleted ones too: their charges stay in the ledger. */
function useVmOptions(): VmOption[] {
  const base = { page: 1, pageSize: 100, sort: 'name', order: 'asc' } as const;
  const current = useQuery({ queryKey: queryKeys.vmList(base), queryFn: ({ signal }) => fetchVms(base, signal) });
  const deletedQuery = { ...base, status: 'deleted' } as const;
  const deleted = useQuery({
    queryKey: queryKeys.vmList(deletedQuery),
    queryFn: ({ signal }) => fetchVms(deletedQuery, signal),
  });
  return useMemo(
    () => [
      ...(current.data?.items ?? []).map((vm) => ({ id: vm.id, name: vm.name, deleted: false })),
      ...(deleted.data?.items ?? []).map((vm) => ({ id: vm.id, name: vm.name, deleted: true })),
    ],
    [current.data, deleted.data],
  );
}

function BalanceCard() {
  const { t } = useI18n();
  const money = useMoney();
  const cycleText = useCycleText();
  const balance = useBalance();
  const b = balance.data;
  return (
    <Card aria-label={t('credits.summary.title')} data-testid="credits-balance">
      <CardContent className="space-y-4 @container">
        {balance.isError && !b ? (
          <QueryError error={balance.error} onRetry={() => void balance.refetch()} />
        ) : (
          <BalanceStats balance={b} />
        )}
        {b ? (
          <p className="text-xs text-muted-foreground text-pretty">
            {b.billingExempt
              ? t('credits.summary.exemptNote')
              : t('credits.summary.howBilled', {
                  cycle: cycleText(b.settings.cycleMinutes),
                  unit: money.unit,
                })}{' '}
            {b.creditLimit > 0 && !b.billingExempt
              ? t('credits.summary.creditLimit', { amount: money.withUnit(b.creditLimit) })
              : null}
          </p>
        ) : null}
      </CardContent>
    </Card>
  );
}

export function CreditsPage() {
  const { t } = useI18n();
  const money = useMoney();
  const [search, setSearch, update] = usePagedSearchState(parseCreditsSearch, serializeCreditsSearch);
  const valid = isRangeValid(search);
  const query = toTransactionsQuery(search);
  const transactions = useQuery({
    queryKey: queryKeys.myTransactions(query),
    queryFn: ({ signal }) => fetchMyTransactions(query, signal),
    placeholderData: keepPreviousData,
    // An inverted range can only return nothing; the filters explain why instead.
    enabled: valid,
  });
  const vms = useVmOptions();
  const paymentsEnabled = useBalance().data?.settings.paymentsEnabled ?? false;
  const exportCsv = useMutation({ mutationFn: () => downloadMyTransactionsCsv(toTransactionFilters(search)) });

  const data = valid ? transactions.data : undefined;
  const filtered = isFiltered(search);

  return (
    <>
      <PageHeader
        title={t('credits.title')}
        description={t('credits.subtitle', { unit: money.unit })}
        actions={
          paymentsEnabled ? (
            <Button asChild data-testid="credits-top-up">
              <Link href="/credits/top-up">
                <Plus aria-hidden />
                {t('credits.topUp.button', { unit: money.unit })}
              </Link>
            </Button>
          ) : null
        }
      />
      <CheckoutReturnNotice />
      <div className="space-y-6">
        <BalanceCard />
        <Card className="overflow-hidden" aria-labelledby="credits-transactions-title">
          <div className="flex flex-col gap-3 border-b p-4 sm:flex-row sm:items-start sm:justify-between">
            <div className="space-y-1">
              <h2 id="credits-transactions-title" className="text-base font-semibold leading-tight tracking-tight">
                {t('credits.transactions.title')}
              </h2>
              <p className="text-sm text-muted-foreground">{t('credits.transactions.description')}</p>
            </div>
            <Button
              variant="outline"
              size="sm"
              className="self-start"
              onClick={() => exportCsv.mutate()}
              pending={exportCsv.isPending}
              disabled={!valid}
              data-testid="credits-export"
            >
              {exportCsv.isPending ? null : <Download aria-hidden />}
              {exportCsv.isPending ? t('credits.transactions.exporting') : t('credits.transactions.export')}
            </Button>
          </div>
          <div className="border-b p-4">
            <TransactionFilters search={search} onChange={update} vms={vms} />
          </div>
          {!valid ? null : transactions.isError && !data ? (
            <QueryError error={transactions.error} onRetry={() => void transactions.refetch()} />
          ) : data && data.items.length === 0 ? (
            <EmptyState
              icon={ReceiptText}
              title={filtered ? t('credits.transactions.emptyFiltered') : t('credits.transactions.empty')}
              description={filtered ? t('credits.transactions.emptyFilteredHint') : undefined}
            />
          ) : (
            <TransactionsTable transactions={data?.items} stale={transactions.isPlaceholderData} />
          )}
          <ListPagination
            total={data?.total}
            search={search}
            onChange={setSearch}
            pageSizeOptions={CREDITS_PAGE_SIZES}
          />
        </Card>
      </div>
    </>
  );
}
