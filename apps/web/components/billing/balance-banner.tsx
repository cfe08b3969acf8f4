'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { Alert } from '@/components/ui/alert';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { useMoney } from './money';
import { useBalance } from './use-billing';

const linkClass =
  'font-medium underline underline-offset-4 hover:no-underline focus-visible:outline-2 focus-visible:outline-ring';

/**
 * Above every console page while the balance is low or gone: a warning while
 * there is still time, an error once the VMs are being shut down. It keeps the
 * balance polled, which the other money views read from the same cache.
 */
export function BalanceBanner() {
  const { t, format } = useI18n();
  const money = useMoney();
  const pathname = usePathname();
  const { data: balance } = useBalance();
  if (!balance || balance.billingExempt || (!balance.low && !balance.exhausted)) return null;

  const unit = money.unit;
  // Buying is the quicker way out where it is offered; otherwise the credits page explains the rest.
  const link = balance.settings.paymentsEnabled ? (
    <>
      {' '}
      <Link href="/credits/top-up" className={linkClass}>
        {t('credits.banner.topUp', { unit })}
      </Link>
    </>
  ) : pathname === '/credits' ? null : (
    <>
      {' '}
      <Link href="/credits" className={linkClass}>
        {t('credits.banner.details')}
      </Link>
    </>
  );

  if (balance.exhausted) {
    return (
      <Alert tone="destructive" className="mb-6" data-testid="balance-banner" data-state="exhausted">
        <p className="font-medium">{t('credits.banner.exhaustedTitle', { unit })}</p>
        <p className="mt-0.5 text-muted-foreground">
          {t('credits.banner.exhausted', { unit })}
          {link}
        </p>
      </Alert>
    );
  }
  return (
    <Alert tone="warning" className="mb-6" data-testid="balance-banner" data-state="low">
      <p className="font-medium">{t('credits.banner.lowTitle', { unit })}</p>
      <p className="mt-0.5 text-muted-foreground">
        {balance.hoursLeft !== null
          ? t('credits.banner.low', {
              balance: money.withUnit(balance.live),
              duration: format.duration(balance.hoursLeft * 3600),
            })
          : t('credits.banner.lowNoRate', { balance: money.withUnit(balance.live) })}
        {link}
      </p>
    </Alert>
  );
}
