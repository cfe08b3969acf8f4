'use client';

import type { ListTransactionsQuery, Transaction, TransferKind } from '@uni-manager/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ArrowRight, ReceiptText } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Pagination } from '@/components/ui/pagination';
import { QueryError } from '@/components/ui/query-error';
import { fetchUserTransactions } from '@/lib/api/admin-billing';
import { queryKeys } from '@/lib/api/query-keys';
import { useT } from '@/lib/i18n/i18n-provider';
import { KindSelect } from './kind-select';
import { ReverseDialog } from './reverse-dialog';
import { TransactionsTable } from './transactions-table';

const PAGE_SIZES = [10, 25, 50] as const;

/** A user's ledger, newest first, each row undoable by a reversal. */
export function UserLedgerCard({ userId, className }: { userId: string; className?: string }) {
  const t = useT();
  const [kind, setKind] = useState<TransferKind>();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState<number>(PAGE_SIZES[0]);
  const [reversing, setReversing] = useState<Transaction | null>(null);
  const query: ListTransactionsQuery = { kind, page, pageSize };
  const ledger = useQuery({
    queryKey: queryKeys.adminUserTransactions(userId, query),
    queryFn: ({ signal }) => fetchUserTransactions(userId, query, signal),
    placeholderData: keepPreviousData,
  });
  const data = ledger.data;

  return (
    <Card className={className} aria-labelledby="user-ledger-title" data-testid="user-ledger">
      <CardHeader className="gap-3 pb-4 sm:flex-row sm:items-start sm:justify-between sm:pb-4">
        <div className="space-y-1.5">
          <CardTitle id="user-ledger-title">{t('adminBilling.ledger.title')}</CardTitle>
          <CardDescription>{t('adminBilling.ledger.description')}</CardDescription>
          <Link
            href={`/admin/billing?user=${userId}`}
            className="inline-flex items-center gap-1.5 text-sm font-medium text-primary underline-offset-4 hover:underline"
          >
            {t('adminBilling.ledger.inPlatformList')}
            <ArrowRight className="size-3.5" aria-hidden />
          </Link>
        </div>
        <KindSelect
          value={kind}
          onChange={(k) => {
            setKind(k);
            setPage(1);
          }}
        />
      </CardHeader>
      <div className="border-t">
        {ledger.isError && !data ? (
          <QueryError error={ledger.error} onRetry={() => void ledger.refetch()} />
        ) : data && data.items.length === 0 ? (
          <EmptyState
            icon={ReceiptText}
            title={kind ? t('adminBilling.ledger.emptyKind') : t('adminBilling.ledger.empty')}
          />
        ) : (
          <TransactionsTable
            transactions={data?.items}
            stale={ledger.isPlaceholderData}
            onReverse={setReversing}
            skeletonRows={5}
            label={t('adminBilling.ledger.title')}
          />
        )}
        {data && data.total > PAGE_SIZES[0] ? (
          <div className="border-t px-4 py-3">
            <Pagination
              page={page}
              pageSize={pageSize}
              total={data.total}
              pageSizeOptions={PAGE_SIZES}
              onPageChange={setPage}
              onPageSizeChange={(size) => {
                setPageSize(size);
                setPage(1);
              }}
            />
          </div>
        ) : null}
      </div>
      <ReverseDialog transaction={reversing} onClose={() => setReversing(null)} />
    </Card>
  );
}
