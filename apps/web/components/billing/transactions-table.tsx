'use client';

import type { Transaction } from '@uni-manager/contracts';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { useMoney } from './money';
import { TransferKindBadge } from './transfer-kind-badge';

const linkClass = 'font-medium underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-ring';

function sameLocalDay(a: string, b: string): boolean {
  return new Date(a).toDateString() === new Date(b).toDateString();
}

/** "12 Mar 2026, 14:00 – 15:00", or both ends in full when the period crosses midnight. */
function usePeriodText() {
  const { t, format } = useI18n();
  return (start: string, end: string) =>
    t('credits.table.period', {
      from: format.dateTime(start),
      to: sameLocalDay(start, end) ? format.time(Date.parse(end)) : format.dateTime(end),
    });
}

/** What the row is about, beyond its kind: the VM and the time charged, the reason, who did it. */
function Details({ tx }: { tx: Transaction }) {
  const { t } = useI18n();
  const periodText = usePeriodText();
  const lines: ReactNode[] = [];
  if (tx.vm) {
    lines.push(
      <Link key="vm" href={`/vms/${tx.vm.id}`} className={cn(linkClass, 'break-all')} data-testid="transaction-vm">
        {tx.vm.name}
      </Link>,
    );
  }
  if (tx.periodStart && tx.periodEnd) {
    lines.push(
      <span key="period" className="text-muted-foreground tabular-nums" data-testid="transaction-period">
        {periodText(tx.periodStart, tx.periodEnd)}
      </span>,
    );
  }
  if (tx.kind === 'initial' && !tx.reason) lines.push(<span key="initial">{t('credits.table.initial')}</span>);
  if (tx.kind === 'reversal') lines.push(<span key="reverses">{t('credits.table.reverses')}</span>);
  if (tx.reason)
    lines.push(
      <span key="reason" className="break-words">
        {tx.reason}
      </span>,
    );
  if (tx.actorEmail)
    lines.push(
      <span key="actor" className="text-xs text-muted-foreground">
        {t('credits.table.by', { email: tx.actorEmail })}
      </span>,
    );
  if (lines.length === 0) return <span className="text-muted-foreground">{t('common.none')}</span>;
  return <div className="flex min-w-0 flex-col gap-0.5">{lines}</div>;
}

function KindBadges({ tx }: { tx: Transaction }) {
  const { t } = useI18n();
  return (
    <div className="flex flex-wrap items-start gap-1">
      <TransferKindBadge kind={tx.kind} label={t(`credits.kinds.${tx.kind}`)} />
      {tx.reversedById ? <Badge tone="outline">{t('credits.table.reversed')}</Badge> : null}
    </div>
  );
}

interface TransactionsTableProps {
  transactions: Transaction[] | undefined;
  stale?: boolean;
  skeletonRows?: number;
}

/** Every movement of the user's credits, newest first; incoming amounts in green. */
export function TransactionsTable({ transactions, stale, skeletonRows = 8 }: TransactionsTableProps) {
  const { t, format } = useI18n();
  const money = useMoney();

  // Columns give way by the table's own width: on a phone the date and the type move into the details.
  return (
    <div className="@container">
      <Table
        data-testid="transactions-table"
        aria-label={t('credits.table.label')}
        aria-busy={stale || transactions === undefined}
      >
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead className="hidden @xl:table-cell">{t('credits.table.date')}</TableHead>
            <TableHead className="hidden @xl:table-cell">{t('credits.table.kind')}</TableHead>
            <TableHead>{t('credits.table.details')}</TableHead>
            <TableHead className="text-right">{t('credits.table.amount', { unit: money.unit })}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody className={cn(stale && 'opacity-60 transition-opacity')}>
          {transactions === undefined
            ? Array.from({ length: skeletonRows }, (_, i) => (
                <TableRow key={i} aria-hidden>
                  <TableCell className="hidden @xl:table-cell">
                    <Skeleton className="h-4 w-32" />
                  </TableCell>
                  <TableCell className="hidden @xl:table-cell">
                    <Skeleton className="h-5 w-24 rounded-full" />
                  </TableCell>
                  <TableCell>
                    <Skeleton className="h-4 w-40" />
                  </TableCell>
                  <TableCell>
                    <Skeleton className="ml-auto h-4 w-16" />
                  </TableCell>
                </TableRow>
              ))
            : transactions.map((tx) => (
                <TableRow key={tx.id} data-testid="transaction-row" data-kind={tx.kind}>
                  <TableCell className="hidden whitespace-nowrap align-top tabular-nums text-muted-foreground @xl:table-cell">
                    <time dateTime={tx.createdAt}>{format.dateTime(tx.createdAt)}</time>
                  </TableCell>
                  <TableCell className="hidden align-top @xl:table-cell">
                    <KindBadges tx={tx} />
                  </TableCell>
                  <TableCell className="min-w-36 align-top text-sm">
                    {/* A narrow table drops the date and type columns: they lead the details instead. */}
                    <div className="mb-1.5 flex flex-wrap items-center gap-x-2 gap-y-1 @xl:hidden">
                      <KindBadges tx={tx} />
                      <time dateTime={tx.createdAt} className="text-xs tabular-nums text-muted-foreground">
                        {format.dateTime(tx.createdAt)}
                      </time>
                    </div>
                    <Details tx={tx} />
                  </TableCell>
                  <TableCell
                    className={cn(
                      'whitespace-nowrap text-right align-top font-medium tabular-nums',
                      tx.amount > 0 && 'text-success',
                    )}
                    data-testid="transaction-amount"
                  >
                    {money.signed(tx.amount)}
                  </TableCell>
                </TableRow>
              ))}
        </TableBody>
      </Table>
    </div>
  );
}
