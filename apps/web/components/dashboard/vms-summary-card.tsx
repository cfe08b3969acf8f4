'use client';

import type { PowerState } from '@uni-manager/contracts';
import { useQuery } from '@tanstack/react-query';
import { ArrowRight, Plus } from 'lucide-react';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { queryKeys } from '@/lib/api/query-keys';
import { fetchVms } from '@/lib/api/vms';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';

/** A count of the caller's VMs, optionally in one power state: one row fetched, the total is the answer. */
function useVmCount(powerState?: PowerState) {
  const query = { page: 1, pageSize: 1, powerState, sort: 'createdAt', order: 'desc' } as const;
  return useQuery({
    queryKey: queryKeys.vmList(query),
    queryFn: ({ signal }) => fetchVms(query, signal),
    select: (page) => page.total,
    refetchInterval: 30_000,
  });
}

function Count({ label, value, tone }: { label: string; value: number | undefined; tone?: string }) {
  const { format } = useI18n();
  return (
    <div className="rounded-lg border p-3">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className={cn('mt-1 text-2xl font-semibold tabular-nums', tone)}>
        {value === undefined ? <Skeleton className="h-7 w-8" /> : format.number(value)}
      </dd>
    </div>
  );
}

export function VmsSummaryCard() {
  const { t } = useI18n();
  const total = useVmCount();
  const running = useVmCount('running');
  const stopped = useVmCount('stopped');

  return (
    <Card aria-labelledby="vms-summary-title" data-testid="vms-summary">
      <CardHeader>
        <CardTitle id="vms-summary-title">{t('dashboard.vms.title')}</CardTitle>
        <CardDescription>{t('dashboard.vms.description')}</CardDescription>
      </CardHeader>
      <CardContent>
        {total.data === 0 ? (
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
            <Count label={t('dashboard.vms.total')} value={total.data} />
            <Count label={t('dashboard.vms.running')} value={running.data} tone="text-success" />
            <Count label={t('dashboard.vms.stopped')} value={stopped.data} />
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
