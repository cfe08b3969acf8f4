'use client';

import type { BillingReport } from '@uni-manager/contracts';
import { ChartColumn, type LucideIcon } from 'lucide-react';
import Link from 'next/link';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from 'recharts';
import { axisTick, chartMargin, ChartFigure, gridProps, valueAxis } from '@/components/charts/chart-kit';
import { niceScale } from '@/components/servers/chart-data';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { MessageKey } from '@/lib/i18n/translate';
import { cn } from '@/lib/utils';
import { useCredits } from './money';
import type { DayRow } from './report-chart-data';

// ---- Totals ----

const totalKeys = ['usage', 'granted', 'deducted', 'payments', 'refunds', 'outstandingDebt'] as const;
type TotalKey = (typeof totalKeys)[number];

export function ReportTotals({ totals }: { totals: BillingReport['totals'] | undefined }) {
  const { t } = useI18n();
  const credits = useCredits();
  const hint: Partial<Record<TotalKey, MessageKey>> = { outstandingDebt: 'adminBilling.report.totals.debtHint' };
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 xl:grid-cols-6" data-testid="billing-totals">
      {totalKeys.map((key) => {
        const value = totals?.[key];
        const alarming = key === 'outstandingDebt' && value !== undefined && value > 0;
        return (
          <div key={key} className="rounded-xl border bg-card p-4 shadow-sm shadow-black/5" data-total={key}>
            <dt className="text-xs font-medium text-muted-foreground">{t(`adminBilling.report.totals.${key}`)}</dt>
            <dd className={cn('mt-1 text-xl font-semibold tabular-nums', alarming && 'text-destructive')}>
              {value === undefined ? <Skeleton className="h-7 w-20" /> : credits.amount(value)}
            </dd>
            {hint[key] ? <dd className="mt-0.5 text-xs text-muted-foreground">{t(hint[key])}</dd> : null}
          </div>
        );
      })}
    </dl>
  );
}

// ---- Per day ----

const SERIES = [
  { key: 'usage', color: 'var(--chart-1)' },
  { key: 'granted', color: 'var(--chart-2)' },
  { key: 'payments', color: 'var(--chart-3)' },
] as const;
type SeriesKey = (typeof SERIES)[number]['key'];

export function DailyChart({ rows, showPayments }: { rows: DayRow[]; showPayments: boolean }) {
  const { t, format } = useI18n();
  const credits = useCredits();
  const series = SERIES.filter((s) => s.key !== 'payments' || showPayments);
  const max = Math.max(0, ...rows.flatMap((r) => series.map((s) => r[s.key])));
  const scale = niceScale(max, { floor: 1 });
  const label = (key: SeriesKey) => t(`adminBilling.report.series.${key}`);
  const sum = (key: SeriesKey) => rows.reduce((acc, r) => acc + r.minor[key], 0);
  const summary = series.map((s) => `${label(s.key)}: ${credits.withUnit(sum(s.key))}`).join(', ');

  return (
    <ChartFigure
      title={t('adminBilling.report.daily')}
      description={t('adminBilling.report.dailyDescription')}
      summary={summary}
      testId="daily-chart"
      height="h-64"
    >
      <ResponsiveContainer width="100%" height="100%" minWidth={0} initialDimension={{ width: 960, height: 256 }}>
        <BarChart data={rows} margin={chartMargin} barCategoryGap="20%" barGap={1}>
          <CartesianGrid {...gridProps} />
          <XAxis
            dataKey="t"
            tickFormatter={(ms: number) => format.dayMonth(ms)}
            tick={axisTick}
            tickLine={false}
            axisLine={{ stroke: 'var(--border)' }}
            minTickGap={16}
          />
          <YAxis {...valueAxis(scale, (v) => credits.compact(v * 10_000), 52)} />
          <Tooltip
            cursor={{ fill: 'var(--muted)', opacity: 0.5 }}
            content={({ active, payload }) => <DayTooltip active={active} payload={payload} series={series} />}
            isAnimationActive={false}
          />
          {series.map((s) => (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={label(s.key)}
              fill={s.color}
              radius={[3, 3, 0, 0]}
              maxBarSize={28}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

export function DailyLegend({ showPayments }: { showPayments: boolean }) {
  const { t } = useI18n();
  return (
    <ul className="flex flex-wrap items-center gap-x-5 gap-y-2 text-xs text-muted-foreground">
      {SERIES.filter((s) => s.key !== 'payments' || showPayments).map((s) => (
        <li key={s.key} className="flex items-center gap-2">
          <span aria-hidden className="size-2.5 rounded-sm" style={{ background: s.color }} />
          <span className="font-medium text-foreground">{t(`adminBilling.report.series.${s.key}`)}</span>
        </li>
      ))}
    </ul>
  );
}

function DayTooltip({
  active,
  payload,
  series,
}: Pick<TooltipContentProps, 'active' | 'payload'> & { series: ReadonlyArray<{ key: SeriesKey; color: string }> }) {
  const { t, format } = useI18n();
  const credits = useCredits();
  const row = payload?.[0]?.payload as DayRow | undefined;
  if (!active || !row) return null;
  return (
    <div className="min-w-44 rounded-lg border bg-popover px-3 py-2 text-xs text-popover-foreground shadow-xl shadow-black/20">
      <p className="mb-1.5 font-medium">{format.date(new Date(row.t).toISOString())}</p>
      <ul className="grid gap-1">
        {series.map((s) => (
          <li key={s.key} className="flex items-center justify-between gap-4">
            <span className="flex items-center gap-1.5 text-muted-foreground">
              <span aria-hidden className="size-2 rounded-full" style={{ background: s.color }} />
              {t(`adminBilling.report.series.${s.key}`)}
            </span>
            <span className="font-medium tabular-nums">{credits.amount(row.minor[s.key])}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

// ---- Rankings ----

export interface RankedItem {
  key: string;
  label: string;
  href?: string;
  sublabel?: string;
  amount: number;
}

/** A short ranking with bars proportional to the first: readable at any width, unlike a chart's axis labels. */
export function RankedList({ items, testId }: { items: RankedItem[]; testId: string }) {
  const credits = useCredits();
  const top = items[0]?.amount ?? 0;
  return (
    <ol className="grid gap-3" data-testid={testId}>
      {items.map((item, i) => (
        <li key={item.key} className="grid gap-1.5" data-testid="ranked-item">
          <div className="flex items-baseline justify-between gap-3 text-sm">
            <span className="flex min-w-0 items-baseline gap-2">
              <span className="w-5 shrink-0 text-right text-xs tabular-nums text-muted-foreground">{i + 1}</span>
              <span className="min-w-0">
                {item.href ? (
                  <Link
                    href={item.href}
                    className="block truncate font-medium underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-ring"
                  >
                    {item.label}
                  </Link>
                ) : (
                  <span className="block truncate font-medium">{item.label}</span>
                )}
                {item.sublabel ? (
                  <span className="block truncate text-xs text-muted-foreground">{item.sublabel}</span>
                ) : null}
              </span>
            </span>
            <span className="shrink-0 font-medium tabular-nums">{credits.amount(item.amount)}</span>
          </div>
          <div aria-hidden className="ml-7 h-1.5 overflow-hidden rounded-full bg-muted">
            <div
              className="h-full rounded-full bg-primary/80"
              style={{ width: `${top > 0 ? Math.max(2, (item.amount / top) * 100) : 0}%` }}
            />
          </div>
        </li>
      ))}
    </ol>
  );
}

export function RankingCard({
  id,
  title,
  description,
  icon,
  items,
  empty,
  loading,
  className,
}: {
  id: string;
  title: string;
  description: string;
  icon?: LucideIcon;
  items: RankedItem[] | undefined;
  empty: string;
  loading: boolean;
  className?: string;
}) {
  return (
    <Card className={className} aria-labelledby={`${id}-title`} data-testid={id}>
      <CardHeader>
        <CardTitle id={`${id}-title`}>{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent>
        {loading || !items ? (
          <div className="grid gap-4" aria-busy>
            {Array.from({ length: 4 }, (_, i) => (
              <Skeleton key={i} className="h-8" />
            ))}
          </div>
        ) : items.length === 0 ? (
          <EmptyState icon={icon ?? ChartColumn} title={empty} className="py-8" />
        ) : (
          <RankedList items={items} testId={`${id}-list`} />
        )}
      </CardContent>
    </Card>
  );
}
