'use client';

import { ArrowRight } from 'lucide-react';
import Link from 'next/link';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import { QueryError } from '@/components/ui/query-error';
import { useT } from '@/lib/i18n/i18n-provider';
import { BalanceStats } from './balance-stats';
import { useBalance } from './use-billing';

/** The dashboard's view of the balance, live, with the way to every transaction. */
export function CreditsSummaryCard({ className }: { className?: string }) {
  const t = useT();
  const balance = useBalance();
  return (
    <Card className={className} aria-labelledby="credits-summary-title" data-testid="credits-summary">
      <CardHeader>
        <CardTitle id="credits-summary-title">{t('credits.summary.title')}</CardTitle>
        <CardDescription>{t('credits.summary.description')}</CardDescription>
      </CardHeader>
      <CardContent className="@container">
        {balance.isError && !balance.data ? (
          <QueryError error={balance.error} onRetry={() => void balance.refetch()} />
        ) : (
          <BalanceStats balance={balance.data} />
        )}
      </CardContent>
      <CardFooter>
        <Link
          href="/credits"
          className="inline-flex items-center gap-1.5 text-sm font-medium text-primary underline-offset-4 hover:underline"
        >
          {t('credits.summary.view')}
          <ArrowRight className="size-3.5" aria-hidden />
        </Link>
      </CardFooter>
    </Card>
  );
}
