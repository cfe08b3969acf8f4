'use client';

import { useQuery } from '@tanstack/react-query';
import { ArrowRight, Plus } from 'lucide-react';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { queryKeys } from '@/lib/api/query-keys';
import { fetchVmSummary } from '@/lib/api/vms';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { LIVE_SAFETY_POLL_MS, useFallbackPoll } from '@/lib/live/live-provider';
import { cn } from '@/lib/utils';

/** The caller's VMs counted by the API in one request (GET /vms/summary). */
function useVmCounts() {
  const poll = useFallbackPoll();
  return useQuery({
    queryKey: queryKeys.vmSummary,
    queryFn: ({ signal }) => fetchVmSummary(signal),
    select: (s) => ({ total: s.total, running: s.byPowerState.running, stopped: s.byPowerState.stopped }),
    refetchInterval: poll(30_000, LIVE_SAFETY_POLL_MS),
  });
}

/** `undefined` while loading; `null` when it cannot be counted from what was fetched. */
function Count({ label, value, tone }: { label: string; value: number | null | undefined; tone?: string }) {
  const { t, format } = useI18n();
  return (
    <div className="rounded-lg border p-3">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className={cn('mt-1 text-2xl font-semibold tabular-nums', tone)}>
        {value === undefined ? (
          <Skeleton className="h-7 w-8" />
        ) : value === null ? (
          <span className="text-muted-foreground">{t('common.none')}</span>
        ) : (
          format.number(value)
        )}
      </dd>
    </div>
  );
}

export function VmsSummaryCard() {
  const { t } = useI18n();
  const counts = useVmCounts();
  const total = counts.data?.total;

  return (
    <Card aria-labelledby="vms-summary-title" data-testid="vms-summary">
      <CardHeader>
        <CardTitle id="vms-summary-title">{t('dashboard.vms.title')}</CardTitle>
        <CardDescription>{t('dashboard.vms.description')}</CardDescription>
      </CardHeader>
      <CardContent>
        {total === 0 ? (
          <div className="flex flex-col items-start gap-3">
            <p className="text-sm text-muted-foreground">{t('dashboard.vms.empty')}</p>
            <Button asChild size="sm" data-testid="dashboard-create-vm">
              <Link href="/vms/new">
                <Plus aria-hidden />
                {t('vms.create.button')}
              </Link>
            </Button>
          </div>
        ) : (
          <dl className="grid grid-cols-3 gap-3">
            <Count label={t('dashboard.vms.total')} value={total} />
            <Count label={t('dashboard.vms.running')} value={counts.data?.running} tone="text-success" />
            <Count label={t('dashboard.vms.stopped')} value={counts.data?.stopped} />
          </dl>
        )}
      </CardContent>
      <CardFooter>
        <Link
          href="/vms"
          className="inline-flex items-center gap-1.5 text-sm font-medium text-primary underline-offset-4 hover:underline"
        >
          {t('dashboard.vms.manage')}
          <ArrowRight className="size-3.5" aria-hidden />
        </Link>
      </CardFooter>
    </Card>
  );
}
