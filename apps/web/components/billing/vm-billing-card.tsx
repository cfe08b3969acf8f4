'use client';

import type { Vm } from '@uni-manager/contracts';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { PriceTable } from '@/components/vms/vm-details-card';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { QueryError } from '@/components/ui/query-error';
import { Skeleton } from '@/components/ui/skeleton';
import { fetchVmBilling } from '@/lib/api/credits';
import { queryKeys } from '@/lib/api/query-keys';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { LIVE_SAFETY_POLL_MS, useFallbackPoll } from '@/lib/live/live-provider';
import { useCycleText, useMoney } from './money';
import { BALANCE_REFRESH_MS, useBillingSettings } from './use-billing';

function Item({
  label,
  hint,
  children,
  testId,
}: {
  label: string;
  hint?: ReactNode;
  children: ReactNode;
  testId: string;
}) {
  return (
    <div className="flex items-start justify-between gap-4 py-2.5" data-testid={testId}>
      <dt className="text-sm text-muted-foreground">
        {label}
        {hint ? <span className="block text-xs">{hint}</span> : null}
      </dt>
      <dd className="text-right text-sm font-medium tabular-nums">{children}</dd>
    </div>
  );
}

/** The rate that applies in the VM's state: a suspended VM keeps its memory, and pays the running rate. */
function rowNow(vm: Vm): 'running' | 'stopped' | undefined {
  if (vm.status !== 'active') return undefined;
  if (vm.powerState === 'running' || vm.powerState === 'paused') return 'running';
  if (vm.powerState === 'stopped') return 'stopped';
  return undefined;
}

/** What the VM costs: its rates, what it costs now, its monthly cap, and what it has cost so far. */
export function VmBillingCard({ vm, className }: { vm: Vm; className?: string }) {
  const { t, format } = useI18n();
  const money = useMoney();
  const settings = useBillingSettings();
  const poll = useFallbackPoll();
  const billing = useQuery({
    queryKey: queryKeys.vmBilling(vm.id),
    queryFn: ({ signal }) => fetchVmBilling(vm.id, signal),
    refetchInterval: vm.status === 'deleted' ? false : poll(BALANCE_REFRESH_MS, LIVE_SAFETY_POLL_MS),
  });
  const b = billing.data;
  const cycleText = useCycleText();
  const cycle = settings.data ? cycleText(settings.data.cycleMinutes) : null;

  return (
    <Card className={className} aria-labelledby="vm-billing-title" data-testid="vm-billing">
      <CardHeader>
        <CardTitle id="vm-billing-title">{t('credits.vm.title')}</CardTitle>
        <CardDescription>
          {cycle ? t('credits.vm.description', { cycle }) : t('credits.vm.descriptionNoCycle')}
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {billing.isError && !b ? (
          <QueryError error={billing.error} onRetry={() => void billing.refetch()} />
        ) : !b ? (
          <div className="space-y-3" aria-busy>
            <Skeleton className="h-24" />
            <Skeleton className="h-4 w-2/3" />
            <Skeleton className="h-4 w-1/2" />
          </div>
        ) : (
          <>
            <PriceTable
              runningPerHour={b.rate.runningPerHour}
              stoppedPerHour={b.rate.stoppedPerHour}
              highlight={rowNow(vm)}
            />
            <dl className="divide-y border-t">
              <Item label={t('credits.vm.now')} testId="vm-billing-now">
                {b.currentPerHour > 0 ? (
                  money.perHour(b.currentPerHour)
                ) : (
                  <span className="text-muted-foreground">{t('credits.vm.nothingNow')}</span>
                )}
              </Item>
              <Item
                label={t('credits.vm.cap')}
                hint={b.monthlyCap ? t('credits.vm.capHint', { hours: format.number(b.monthlyCap.hours) }) : undefined}
                testId="vm-billing-cap"
              >
                {b.monthlyCap ? (
                  t('credits.vm.capValue', { amount: money.withUnit(b.monthlyCap.amount) })
                ) : (
                  <span className="text-muted-foreground">{t('credits.vm.noCap')}</span>
                )}
              </Item>
              <Item
                label={t('credits.vm.thisMonth')}
                hint={b.unbilled > 0 ? t('credits.vm.unbilled', { amount: money.withUnit(b.unbilled) }) : undefined}
                testId="vm-billing-month"
              >
                {money.withUnit(b.costThisMonth)}
              </Item>
              <Item label={t('credits.vm.sinceCreation')} testId="vm-billing-total">
                {money.withUnit(b.costSinceCreation)}
              </Item>
            </dl>
          </>
        )}
      </CardContent>
    </Card>
  );
}
