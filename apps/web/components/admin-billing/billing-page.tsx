'use client';

import type { BillingReport } from '@uni-manager/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ChartColumn, Layers, Server, Users } from 'lucide-react';
import { useState } from 'react';
import { useBillingSettings } from '@/components/billing/use-billing';
import { PageHeader } from '@/components/layout/page-header';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryError } from '@/components/ui/query-error';
import { Skeleton } from '@/components/ui/skeleton';
import { fetchBillingReport } from '@/lib/api/admin-billing';
import { queryKeys } from '@/lib/api/query-keys';
import { localDay } from '@/lib/days';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { usePagedSearchState } from '@/lib/use-search-state';
import { cn } from '@/lib/utils';
import { BatchGrantDialog } from './batch-grant-dialog';
import { BillingRunsCard } from './billing-runs-card';
import {
  isPeriodValid,
  parseBillingSearch,
  periodOf,
  serializeBillingSearch,
  toReportQuery,
  type Period,
} from './billing-search';
import { CreditPackagesCard } from './credit-packages-card';
import { PeriodPicker } from './period-picker';
import { PlatformTransactionsCard } from './platform-transactions-card';
import { dayRows } from './report-chart-data';
import { DailyChart, DailyLegend, RankingCard, ReportTotals, type RankedItem } from './report-sections';

/** The longest period the report covers at once. */
const MAX_DAYS = 366;

function spanDays(period: Period): number {
  return Math.round((Date.parse(period.to) - Date.parse(period.from)) / 86_400_000) + 1;
}

/**
 * Templates or servers ranked by usage, each linking to its page under `path`. One deleted
 * since has no id, hence no page: it keeps the name it had, or else says it is gone.
 */
function rankedByName(items: BillingReport['byTemplate'], path: string, goneLabel: string): RankedItem[] {
  return items.map((item) => ({
    key: item.id ?? `none:${item.name}`,
    label: item.name || goneLabel,
    href: item.id ? `${path}/${item.id}` : undefined,
    amount: item.amount,
  }));
}

export function BillingPage() {
  const { t } = useI18n();
  const [search, setSearch, update] = usePagedSearchState(parseBillingSearch, serializeBillingSearch);
  // Read once per visit, so the default period does not move while the page is open.
  const [today] = useState(() => localDay(new Date()));
  const [granting, setGranting] = useState(false);
  const period = periodOf(search, today);
  const periodError = !isPeriodValid(period)
    ? t('adminBilling.period.invalid')
    : spanDays(period) > MAX_DAYS
      ? t('adminBilling.period.tooLong', { days: MAX_DAYS })
      : undefined;
  const reportQuery = toReportQuery(period);
  const report = useQuery({
    queryKey: queryKeys.adminBillingReport(reportQuery),
    queryFn: ({ signal }) => fetchBillingReport(reportQuery, signal),
    placeholderData: keepPreviousData,
    enabled: !periodError,
  });
  const settings = useBillingSettings();
  const data = report.data;
  const loading = report.isPending && !periodError;
  const paymentsShown = Boolean(settings.data?.paymentsEnabled || data?.totals.payments);
  const rows = data ? dayRows(data, report.dataUpdatedAt) : [];
  const empty = data && rows.every((r) => r.minor.usage === 0 && r.minor.granted === 0 && r.minor.payments === 0);

  return (
    <>
      <PageHeader
        title={t('adminBilling.title')}
        description={t('adminBilling.subtitle')}
        actions={
          <Button onClick={() => setGranting(true)} data-testid="open-batch-grant">
            <Users aria-hidden />
            {t('adminBilling.batch.open')}
          </Button>
        }
      />
      <div className="space-y-6">
        <Card>
          <CardContent className="py-4 sm:py-4">
            <PeriodPicker
              period={period}
              today={today}
              error={periodError}
              onChange={(patch) => update({ ...period, ...patch })}
            />
          </CardContent>
        </Card>

        {report.isError && !data ? (
          <Card>
            <QueryError error={report.error} onRetry={() => void report.refetch()} />
          </Card>
        ) : (
          <div className={cn('space-y-6', report.isPlaceholderData && 'opacity-60 transition-opacity')}>
            <ReportTotals totals={periodError ? undefined : data?.totals} />
            <Card aria-labelledby="daily-title" data-testid="billing-daily">
              <CardHeader className="gap-3 sm:flex-row sm:items-start sm:justify-between">
                <div className="space-y-1.5">
                  <CardTitle id="daily-title">{t('adminBilling.report.title')}</CardTitle>
                  <CardDescription>{t('adminBilling.report.description')}</CardDescription>
                </div>
                <DailyLegend showPayments={paymentsShown} />
              </CardHeader>
              <CardContent>
                {loading || !data ? (
                  <Skeleton className="h-64" />
                ) : empty ? (
                  <EmptyState
                    icon={ChartColumn}
                    title={t('adminBilling.report.empty')}
                    description={t('adminBilling.report.emptyHint')}
                    className="py-14"
                  />
                ) : (
                  <DailyChart rows={rows} showPayments={paymentsShown} />
                )}
              </CardContent>
            </Card>
            <div className="grid gap-6 lg:grid-cols-3">
              <RankingCard
                id="by-template"
                title={t('adminBilling.report.byTemplate')}
                description={t('adminBilling.report.byTemplateDescription')}
                icon={Layers}
                loading={loading}
                empty={t('adminBilling.report.noUsage')}
                items={
                  data && rankedByName(data.byTemplate, '/admin/templates', t('adminBilling.report.deletedTemplate'))
                }
              />
              <RankingCard
                id="by-server"
                title={t('adminBilling.report.byServer')}
                description={t('adminBilling.report.byServerDescription')}
                icon={Server}
                loading={loading}
                empty={t('adminBilling.report.noUsage')}
                items={data && rankedByName(data.byServer, '/admin/servers', t('adminBilling.report.removedServer'))}
              />
              <RankingCard
                id="top-consumers"
                title={t('adminBilling.report.topConsumers')}
                description={t('adminBilling.report.topConsumersDescription')}
                icon={Users}
                loading={loading}
                empty={t('adminBilling.report.noUsage')}
                items={data?.topConsumers.map((user) => ({
                  key: user.userId,
                  label: user.displayName || user.email,
                  sublabel: user.displayName ? user.email : undefined,
                  href: `/admin/users/${user.userId}`,
                  amount: user.amount,
                }))}
              />
            </div>
          </div>
        )}

        <PlatformTransactionsCard
          search={search}
          period={period}
          update={update}
          setSearch={setSearch}
          enabled={!periodError}
        />
        <BillingRunsCard />
        {settings.data?.paymentsEnabled ? <CreditPackagesCard /> : null}
      </div>
      <BatchGrantDialog open={granting} onClose={() => setGranting(false)} />
    </>
  );
}
