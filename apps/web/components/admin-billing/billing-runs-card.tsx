'use client';

import type { BillingRun } from '@uni-manager/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CircleCheck, CircleX, Play, Timer } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Pagination } from '@/components/ui/pagination';
import { QueryError } from '@/components/ui/query-error';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { fetchBillingRuns, runBillingNow } from '@/lib/api/admin-billing';
import { queryKeys } from '@/lib/api/query-keys';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { useCredits } from './money';

const PAGE_SIZE = 10;
const hideCounts = 'hidden sm:table-cell';
const hideDuration = 'hidden md:table-cell';
const hideTrigger = 'hidden lg:table-cell';
const hideStatus = 'hidden sm:table-cell';

export function RunStatusBadge({ run }: { run: Pick<BillingRun, 'status'> }) {
  const { t } = useI18n();
  return run.status === 'succeeded' ? (
    <Badge tone="success" data-status="succeeded">
      <CircleCheck aria-hidden />
      {t('adminBilling.runs.succeeded')}
    </Badge>
  ) : (
    <Badge tone="destructive" data-status="failed">
      <CircleX aria-hidden />
      {t('adminBilling.runs.failed')}
    </Badge>
  );
}

/** A run's duration: "350 ms" under a second, then "2s", "1min 5s". */
export function useRunDuration() {
  const { t, format } = useI18n();
  return (ms: number | null) =>
    ms === null
      ? t('common.none')
      : ms < 1000
        ? t('adminBilling.runs.ms', { value: format.number(ms) })
        : format.duration(ms / 1000);
}

/** Every billing cycle, newest first, and the button that runs one now. */
export function BillingRunsCard({ className }: { className?: string }) {
  const { t, format } = useI18n();
  const credits = useCredits();
  const duration = useRunDuration();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const runs = useQuery({
    queryKey: queryKeys.adminBillingRuns(page, PAGE_SIZE),
    queryFn: ({ signal }) => fetchBillingRuns(page, PAGE_SIZE, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  const run = useMutation({
    mutationFn: runBillingNow,
    onSuccess: (result) => {
      if (result.status === 'succeeded')
        toast.success(
          t('adminBilling.runs.done', {
            vms: format.number(result.vms),
            amount: credits.withUnit(result.amount),
          }),
        );
      else toast.error(t('adminBilling.runs.doneFailed', { error: result.error ?? '' }));
      setPage(1);
      // Balances, the ledger, the reports and the overview all moved.
      void queryClient.invalidateQueries({ queryKey: queryKeys.admin });
    },
  });
  const data = runs.data;

  return (
    <Card className={className} aria-labelledby="billing-runs-title" data-testid="billing-runs">
      <CardHeader className="gap-3 pb-4 sm:flex-row sm:items-start sm:justify-between sm:pb-4">
        <div className="space-y-1.5">
          <CardTitle id="billing-runs-title">{t('adminBilling.runs.title')}</CardTitle>
          <CardDescription>{t('adminBilling.runs.description')}</CardDescription>
        </div>
        <Button
          size="sm"
          onClick={() => run.mutate()}
          pending={run.isPending}
          className="self-start"
          data-testid="run-billing"
        >
          {run.isPending ? null : <Play aria-hidden />}
          {run.isPending ? t('adminBilling.runs.running') : t('adminBilling.runs.runNow')}
        </Button>
      </CardHeader>
      <div className="border-t">
        {runs.isError && !data ? (
          <QueryError error={runs.error} onRetry={() => void runs.refetch()} />
        ) : data && data.items.length === 0 ? (
          <EmptyState
            icon={Timer}
            title={t('adminBilling.runs.empty')}
            description={t('adminBilling.runs.emptyHint')}
          />
        ) : (
          <Table aria-label={t('adminBilling.runs.title')} aria-busy={runs.isPlaceholderData || !data}>
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead>{t('adminBilling.runs.when')}</TableHead>
                <TableHead className={hideTrigger}>{t('adminBilling.runs.trigger')}</TableHead>
                <TableHead className={cn(hideCounts, 'text-right')}>{t('adminBilling.runs.vms')}</TableHead>
                <TableHead className={cn(hideCounts, 'text-right')}>{t('adminBilling.runs.transfers')}</TableHead>
                <TableHead className="text-right">{t('adminBilling.runs.amount')}</TableHead>
                <TableHead className={cn(hideDuration, 'text-right')}>{t('adminBilling.runs.duration')}</TableHead>
                <TableHead className={hideStatus}>{t('adminBilling.runs.status')}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody className={cn(runs.isPlaceholderData && 'opacity-60 transition-opacity')}>
              {!data
                ? Array.from({ length: 4 }, (_, i) => (
                    <TableRow key={i} aria-hidden>
                      <TableCell>
                        <Skeleton className="h-4 w-32" />
                      </TableCell>
                      <TableCell className={hideTrigger}>
                        <Skeleton className="h-4 w-16" />
                      </TableCell>
                      <TableCell className={hideCounts}>
                        <Skeleton className="ml-auto h-4 w-8" />
                      </TableCell>
                      <TableCell className={hideCounts}>
                        <Skeleton className="ml-auto h-4 w-8" />
                      </TableCell>
                      <TableCell>
                        <Skeleton className="ml-auto h-4 w-16" />
                      </TableCell>
                      <TableCell className={hideDuration}>
                        <Skeleton className="ml-auto h-4 w-12" />
                      </TableCell>
                      <TableCell className={hideStatus}>
                        <Skeleton className="h-5 w-20 rounded-full" />
                      </TableCell>
                    </TableRow>
                  ))
                : data.items.map((r) => (
                    <TableRow key={r.id} data-testid="billing-run-row" data-status={r.status}>
                      <TableCell className="whitespace-nowrap align-top">
                        <time dateTime={r.startedAt} className="block">
                          {format.dateTime(r.startedAt)}
                        </time>
                        <span className="block text-xs text-muted-foreground">
                          {t('adminBilling.runs.through', { time: format.shortDateTime(Date.parse(r.periodEnd)) })}
                        </span>
                        <span className="block text-xs text-muted-foreground sm:hidden">
                          {t('adminBilling.runs.countsShort', {
                            vms: format.number(r.vms),
                            transfers: format.number(r.transfers),
                          })}
                        </span>
                        {/* The status column gives way on phones; a failure must still show. */}
                        <span className="mt-1 block whitespace-normal sm:hidden">
                          <RunStatusBadge run={r} />
                          {r.error ? (
                            <span className="mt-1 line-clamp-3 block break-words text-xs text-destructive">
                              {r.error}
                            </span>
                          ) : null}
                        </span>
                      </TableCell>
                      <TableCell className={cn(hideTrigger, 'align-top text-muted-foreground')}>
                        {t(`adminBilling.runs.triggers.${r.trigger}`)}
                      </TableCell>
                      <TableCell className={cn(hideCounts, 'text-right align-top tabular-nums')}>
                        {format.number(r.vms)}
                      </TableCell>
                      <TableCell className={cn(hideCounts, 'text-right align-top tabular-nums')}>
                        {format.number(r.transfers)}
                      </TableCell>
                      <TableCell className="whitespace-nowrap text-right align-top font-medium tabular-nums">
                        {credits.amount(r.amount)}
                      </TableCell>
                      <TableCell className={cn(hideDuration, 'whitespace-nowrap text-right align-top tabular-nums')}>
                        {duration(r.durationMs)}
                      </TableCell>
                      <TableCell className={cn(hideStatus, 'max-w-64 align-top')}>
                        <RunStatusBadge run={r} />
                        {r.error ? (
                          <p className="mt-1 line-clamp-3 break-words text-xs text-destructive" title={r.error}>
                            {r.error}
                          </p>
                        ) : null}
                      </TableCell>
                    </TableRow>
                  ))}
            </TableBody>
          </Table>
        )}
        {data && data.total > PAGE_SIZE ? (
          <div className="border-t px-4 py-3">
            <Pagination page={page} pageSize={PAGE_SIZE} total={data.total} onPageChange={setPage} />
          </div>
        ) : null}
      </div>
    </Card>
  );
}
