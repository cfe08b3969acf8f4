'use client';

import type { CreditPackage } from '@uni-manager/contracts';
import { useMutation, useQuery } from '@tanstack/react-query';
import { ArrowLeft, CreditCard, PackageOpen, ShoppingCart } from 'lucide-react';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { PageHeader } from '@/components/layout/page-header';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryError } from '@/components/ui/query-error';
import { Skeleton } from '@/components/ui/skeleton';
import { fetchPackagesForSale, startCheckout } from '@/lib/api/credits';
import { isApiError } from '@/lib/api/errors';
import { queryKeys } from '@/lib/api/query-keys';
import { describeError } from '@/lib/errors/describe';
import { intlLocale } from '@/lib/i18n/config';
import { useI18n, useT } from '@/lib/i18n/i18n-provider';
import { formatPrice } from '@/lib/prices';
import { CheckoutReturnNotice } from './checkout-return-notice';
import { useMoney } from './money';
import { useBillingSettings } from './use-billing';

function BackLink() {
  const t = useT();
  return (
    <Link
      href="/credits"
      className="inline-flex items-center gap-1.5 text-sm text-muted-foreground hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
    >
      <ArrowLeft className="size-4" aria-hidden />
      {t('credits.topUp.back')}
    </Link>
  );
}

/** A price in the currency's smallest unit (cents, or yen for a currency without them), as money. */
function usePrice() {
  const { locale } = useI18n();
  return (cents: number, currency: string) => formatPrice(cents, currency, intlLocale[locale]);
}

function PackageCard({
  pkg,
  onBuy,
  pending,
  disabled,
}: {
  pkg: CreditPackage;
  onBuy: () => void;
  pending: boolean;
  disabled: boolean;
}) {
  const t = useT();
  const money = useMoney();
  const price = usePrice();
  const headingId = `package-${pkg.id}`;
  return (
    <Card className="flex flex-col" aria-labelledby={headingId} data-testid="credit-package">
      <div className="flex flex-1 flex-col gap-3 p-5">
        <div className="flex items-start gap-3">
          <span className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-primary/10 text-primary">
            <PackageOpen className="size-5" aria-hidden />
          </span>
          <div className="min-w-0">
            <h2 id={headingId} className="truncate text-base font-semibold leading-tight tracking-tight">
              {pkg.name}
            </h2>
            <p className="mt-1 text-sm text-muted-foreground tabular-nums">{money.withUnit(pkg.credits)}</p>
          </div>
        </div>
        <p className="mt-auto text-2xl font-semibold tabular-nums tracking-tight">
          {price(pkg.priceCents, pkg.currency)}
        </p>
      </div>
      <div className="border-t bg-muted/30 px-5 py-3.5">
        <Button
          className="w-full"
          onClick={onBuy}
          pending={pending}
          disabled={disabled}
          data-testid="buy-package"
          aria-describedby={headingId}
        >
          {pending ? null : <ShoppingCart aria-hidden />}
          {pending ? t('credits.topUp.redirecting') : t('credits.topUp.buy')}
        </Button>
      </div>
    </Card>
  );
}

/** Packages of credits for sale; buying one goes to the payment provider's checkout page. */
export function TopUpPage() {
  const { t, dict } = useI18n();
  const money = useMoney();
  const settings = useBillingSettings();
  const enabled = settings.data?.paymentsEnabled === true;
  const packages = useQuery({
    queryKey: queryKeys.creditPackages,
    queryFn: ({ signal }) => fetchPackagesForSale(signal),
    enabled,
  });
  const [problem, setProblem] = useState<{ title: string; description?: string } | null>(null);
  // The package whose checkout opened: its button stays busy until the browser has left the page.
  const [leaving, setLeaving] = useState<string | null>(null);
  const checkout = useMutation({
    mutationFn: (packageId: string) => startCheckout(packageId),
    meta: { silent: true },
    onSuccess: ({ url }, packageId) => {
      setLeaving(packageId);
      window.location.assign(url);
    },
    onError: (err) => setProblem(describeError(err, t, dict)),
  });
  useEffect(() => {
    // Back from the provider's page, a browser may restore this one as it was left: busy.
    const onShow = (e: PageTransitionEvent) => e.persisted && setLeaving(null);
    window.addEventListener('pageshow', onShow);
    return () => window.removeEventListener('pageshow', onShow);
  }, []);
  const unavailable =
    (settings.data && !enabled) || (isApiError(packages.error) && packages.error.code === 'PAYMENTS_DISABLED');
  const items = packages.data?.filter((p) => p.active);

  return (
    <>
      <PageHeader
        eyebrow={<BackLink />}
        title={t('credits.topUp.title', { unit: money.unit })}
        description={enabled ? t('credits.topUp.subtitle', { unit: money.unit }) : undefined}
      />
      <CheckoutReturnNotice />
      {problem ? (
        <Alert tone="destructive" className="mb-6" data-testid="checkout-error">
          <p className="font-medium">{t('credits.topUp.failed')}</p>
          <p className="mt-0.5 text-muted-foreground">{problem.title}</p>
        </Alert>
      ) : null}
      {settings.isError ? (
        <Card>
          <QueryError error={settings.error} onRetry={() => void settings.refetch()} />
        </Card>
      ) : unavailable ? (
        <Card>
          <EmptyState
            icon={CreditCard}
            title={t('credits.topUp.disabled', { unit: money.unit })}
            description={t('credits.topUp.disabledHint', { unit: money.unit })}
          />
        </Card>
      ) : packages.isError ? (
        <Card>
          <QueryError error={packages.error} onRetry={() => void packages.refetch()} />
        </Card>
      ) : !items ? (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-busy>
          {Array.from({ length: 3 }, (_, i) => (
            <Skeleton key={i} className="h-48 rounded-xl" />
          ))}
        </div>
      ) : items.length === 0 ? (
        <Card>
          <EmptyState icon={PackageOpen} title={t('credits.topUp.empty')} description={t('credits.topUp.emptyHint')} />
        </Card>
      ) : (
        <>
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="credit-packages">
            {items.map((pkg) => (
              <PackageCard
                key={pkg.id}
                pkg={pkg}
                pending={(checkout.isPending && checkout.variables === pkg.id) || leaving === pkg.id}
                disabled={checkout.isPending || leaving !== null}
                onBuy={() => {
                  setProblem(null);
                  checkout.mutate(pkg.id);
                }}
              />
            ))}
          </div>
          <p className="mt-4 text-xs text-muted-foreground">{t('credits.topUp.note', { unit: money.unit })}</p>
        </>
      )}
    </>
  );
}
