'use client';

import type { AdminTransaction, Transaction } from '@uni-manager/contracts';
import { RotateCcw } from 'lucide-react';
import Link from 'next/link';
import { TransferKindBadge } from '@/components/billing/transfer-kind-badge';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { useCredits } from './money';

type Row = Transaction & Partial<Pick<AdminTransaction, 'user'>>;

interface TransactionsTableProps<T extends Row> {
  transactions: T[] | undefined;
  /** The platform's list says whose each transaction is; a user's own ledger does not. */
  showUser?: boolean;
  onReverse?: (transaction: T) => void;
  stale?: boolean;
  skeletonRows?: number;
  label: string;
}

/** A reversal cannot itself be undone, and nothing is undone twice. */
export function isReversible(tx: Transaction): boolean {
  return tx.kind !== 'reversal' && tx.reversedById === null;
}

// Which columns give way on narrow screens; what they held moves under the kind instead.
const hideDetails = 'hidden md:table-cell';
const hideUser = 'hidden sm:table-cell';
const hideKind = 'hidden sm:table-cell';

function KindBadges({ tx }: { tx: Row }) {
  const { t, dict } = useI18n();
  return (
    <div className="flex flex-wrap items-center gap-1.5">
      <TransferKindBadge kind={tx.kind} label={dict.adminBilling.kinds[tx.kind]} />
      {tx.reversedById !== null ? (
        <Badge tone="outline" data-testid="reversed-badge">
          <RotateCcw aria-hidden />
          {t('adminBilling.ledger.reversed')}
        </Badge>
      ) : null}
    </div>
  );
}

/** What a narrow screen keeps of the details: one line, the reason or else the VM. */
function ShortDetails({ tx }: { tx: Row }) {
  const { t } = useI18n();
  const text = tx.reason ?? (tx.vm ? t('adminBilling.ledger.vm', { name: tx.vm.name }) : null);
  return text ? <p className="max-w-[12rem] truncate text-xs text-muted-foreground">{text}</p> : null;
}

function Details({ tx }: { tx: Row }) {
  const { t, format } = useI18n();
  const period =
    tx.periodStart && tx.periodEnd
      ? t('adminBilling.ledger.period', {
          from: format.shortDateTime(Date.parse(tx.periodStart)),
          to: format.shortDateTime(Date.parse(tx.periodEnd)),
        })
      : null;
  return (
    <div className="min-w-0 space-y-0.5 text-xs text-muted-foreground">
      {tx.reason ? <p className="line-clamp-2 break-words text-sm text-foreground">{tx.reason}</p> : null}
      {tx.vm ? <p className="truncate">{t('adminBilling.ledger.vm', { name: tx.vm.name })}</p> : null}
      {period ? <p>{period}</p> : null}
      {tx.actorEmail ? <p className="truncate">{t('adminBilling.ledger.by', { email: tx.actorEmail })}</p> : null}
      {tx.kind === 'reversal' ? <p>{t('adminBilling.ledger.reversal')}</p> : null}
    </div>
  );
}

export function TransactionsTable<T extends Row>({
  transactions,
  showUser = false,
  onReverse,
  stale,
  skeletonRows = 6,
  label,
}: TransactionsTableProps<T>) {
  const { t, format } = useI18n();
  const credits = useCredits();

  return (
    <Table data-testid="transactions-table" aria-label={label} aria-busy={stale || transactions === undefined}>
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>{t('adminBilling.columns.date')}</TableHead>
          {showUser ? <TableHead className={hideUser}>{t('adminBilling.columns.user')}</TableHead> : null}
          <TableHead className={hideKind}>{t('adminBilling.columns.kind')}</TableHead>
          <TableHead className={hideDetails}>{t('adminBilling.columns.details')}</TableHead>
          <TableHead className="text-right">{t('adminBilling.columns.amount')}</TableHead>
          {onReverse ? (
            <TableHead className="w-12">
              <span className="sr-only">{t('common.actions')}</span>
            </TableHead>
          ) : null}
        </TableRow>
      </TableHeader>
      <TableBody className={cn(stale && 'opacity-60 transition-opacity')}>
        {transactions === undefined
          ? Array.from({ length: skeletonRows }, (_, i) => (
              <TableRow key={i} aria-hidden>
                <TableCell>
                  <Skeleton className="h-4 w-32" />
                </TableCell>
                {showUser ? (
                  <TableCell className={hideUser}>
                    <Skeleton className="h-4 w-40" />
                  </TableCell>
                ) : null}
                <TableCell className={hideKind}>
                  <Skeleton className="h-5 w-20 rounded-full" />
                </TableCell>
                <TableCell className={hideDetails}>
                  <Skeleton className="h-4 w-48" />
                </TableCell>
                <TableCell>
                  <Skeleton className="ml-auto h-4 w-16" />
                </TableCell>
                {onReverse ? <TableCell /> : null}
              </TableRow>
            ))
          : transactions.map((tx) => {
              const reversed = tx.reversedById !== null;
              return (
                <TableRow
                  key={tx.id}
                  data-testid="transaction-row"
                  data-transaction-id={tx.id}
                  data-kind={tx.kind}
                  data-reversed={reversed || undefined}
                  className={cn(reversed && 'bg-muted/25')}
                >
                  <TableCell className="align-top text-muted-foreground sm:whitespace-nowrap">
                    <time dateTime={tx.createdAt}>{format.dateTime(tx.createdAt)}</time>
                    {/* On phones this cell also holds whose it is, its type and what it was for. */}
                    <div className="mt-1 max-w-[12rem] space-y-1 sm:hidden">
                      {showUser && tx.user ? <p className="truncate text-xs">{tx.user.email}</p> : null}
                      <KindBadges tx={tx} />
                      <ShortDetails tx={tx} />
                    </div>
                  </TableCell>
                  {showUser ? (
                    <TableCell className={cn(hideUser, 'max-w-56 align-top')}>
                      {tx.user ? (
                        <Link
                          href={`/admin/users/${tx.user.id}`}
                          className="block truncate font-medium underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-ring"
                        >
                          {tx.user.email}
                        </Link>
                      ) : (
                        <span className="text-muted-foreground">{t('adminBilling.ledger.platform')}</span>
                      )}
                    </TableCell>
                  ) : null}
                  <TableCell className={cn(hideKind, 'align-top')}>
                    <KindBadges tx={tx} />
                    <div className="md:hidden">
                      <ShortDetails tx={tx} />
                    </div>
                  </TableCell>
                  <TableCell className={cn(hideDetails, 'max-w-md align-top')}>
                    <Details tx={tx} />
                  </TableCell>
                  <TableCell
                    className={cn(
                      'whitespace-nowrap text-right align-top font-medium tabular-nums',
                      tx.amount > 0 && 'text-success',
                      reversed && 'text-muted-foreground line-through decoration-1',
                    )}
                  >
                    {credits.signed(tx.amount)}
                  </TableCell>
                  {onReverse ? (
                    <TableCell className="text-right align-top">
                      {isReversible(tx) ? (
                        <Button
                          variant="ghost"
                          size="icon-sm"
                          onClick={() => onReverse(tx)}
                          aria-label={t('adminBilling.reverse.action', {
                            amount: credits.signed(tx.amount),
                            date: format.dateTime(tx.createdAt),
                          })}
                          title={t('adminBilling.reverse.short')}
                          data-testid="reverse-transaction"
                        >
                          <RotateCcw aria-hidden />
                        </Button>
                      ) : null}
                    </TableCell>
                  ) : null}
                </TableRow>
              );
            })}
      </TableBody>
    </Table>
  );
}
