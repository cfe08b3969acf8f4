'use client';

import type { Balance } from '@uni-manager/contracts';
import type { ReactNode } from 'react';
import { Skeleton } from '@/components/ui/skeleton';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { useMoney } from './money';

function Stat({
  label,
  hint,
  tone,
  testId,
  children,
}: {
  label: string;
  hint?: ReactNode;
  tone?: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <div className="min-w-0 rounded-lg border p-3" data-testid={testId}>
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className={cn('mt-1 break-words text-lg font-semibold leading-snug tabular-nums tracking-tight', tone)}>
        {children}
      </dd>
      {hint ? <dd className="mt-0.5 text-xs text-muted-foreground">{hint}</dd> : null}
    </div>
  );
}

/** How long the balance lasts at this rate: "—" when nothing burns it, "nothing left" once it is gone. */
function useHoursLeftText() {
  const { t, format } = useI18n();
  return (balance: Pick<Balance, 'hoursLeft' | 'exhausted'>) =>
    balance.exhausted
      ? t('credits.summary.nothingLeft')
      : balance.hoursLeft === null
        ? t('common.none')
        : t('credits.summary.lastsValue', { duration: format.duration(balance.hoursLeft * 3600) });
}

/**
 * The balance at a glance: what is left now, how fast the VMs use it, how
 * long it lasts at that pace, and what this month cost. Undefined while it loads.
 */
export function BalanceStats({ balance }: { balance: Balance | undefined }) {
  const { t } = useI18n();
  const money = useMoney();
  const hoursLeftText = useHoursLeftText();

  if (!balance) {
    return (
      <dl className="grid grid-cols-2 gap-3 @xl:grid-cols-4" aria-busy>
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="rounded-lg border p-3">
            <Skeleton className="h-3.5 w-20" />
            <Skeleton className="mt-2 h-6 w-24" />
          </div>
        ))}
      </dl>
    );
  }

  const balanceTone =
    balance.exhausted || balance.live < 0 ? 'text-destructive' : balance.low ? 'text-warning' : undefined;
  return (
    <dl className="grid grid-cols-2 gap-3 @xl:grid-cols-4" data-testid="balance-stats">
      <Stat
        label={t('credits.summary.balance')}
        tone={balanceTone}
        testId="balance-live"
        hint={
          balance.unbilled > 0 ? t('credits.summary.unbilled', { amount: money.amount(balance.unbilled) }) : undefined
        }
      >
        {money.withUnit(balance.live)}
      </Stat>
      <Stat
        label={t('credits.summary.burnRate')}
        testId="balance-burn-rate"
        hint={balance.billingExempt ? t('credits.summary.exempt') : undefined}
      >
        {balance.burnRatePerHour > 0 ? (
          money.perHour(balance.burnRatePerHour)
        ) : (
          <span className="text-muted-foreground">{t('credits.summary.nothingBurns')}</span>
        )}
      </Stat>
      <Stat
        label={t('credits.summary.lasts')}
        tone={balance.exhausted ? 'text-destructive' : balance.low ? 'text-warning' : undefined}
        testId="balance-hours-left"
        hint={balance.hoursLeft !== null && !balance.exhausted ? t('credits.summary.lastsHint') : undefined}
      >
        {hoursLeftText(balance)}
      </Stat>
      <Stat label={t('credits.summary.spentThisMonth')} testId="balance-spent-month">
        {money.withUnit(balance.spentThisMonth)}
      </Stat>
    </dl>
  );
}
