'use client';

import { MINOR_UNITS_PER_CREDIT, type SpendSeries } from '@uni-manager/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
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
import { axisTick, chartMargin, ChartCard, ChartFigure, gridProps, valueAxis } from '@/components/charts/chart-kit';
import { niceScale } from '@/components/servers/chart-data';
import { fetchMySpend } from '@/lib/api/credits';
import { queryKeys } from '@/lib/api/query-keys';
import { localMidnight } from '@/lib/days';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { useFallbackPoll } from '@/lib/live/live-provider';
import { useMoney } from './money';
import { BALANCE_REFRESH_MS } from './use-billing';

const ranges = ['7d', '30d'] as const;
type SpendRange = (typeof ranges)[number];
const DAYS: Record<SpendRange, number> = { '7d': 7, '30d': 30 };

interface Row {
  /** The UTC day, as the API names it. */
  date: string;
  /** Minor units, for the tooltip. */
  amount: number;
  /** Credits, for the bar's height. */
  value: number;
}

/** What the VMs cost each day over the last week or month, as bars. */
export function SpendChartCard({ className }: { className?: string }) {
  const { t } = useI18n();
  const [range, setRange] = useState<SpendRange>('30d');
  const days = DAYS[range];
  const poll = useFallbackPoll();
  const spend = useQuery({
    queryKey: queryKeys.mySpend(days),
    queryFn: ({ signal }) => fetchMySpend(days, signal),
    placeholderData: keepPreviousData,
    refetchInterval: poll(BALANCE_REFRESH_MS * 4),
  });

  return (
    <div className={className}>
      <ChartCard
        testId="spend-chart"
        title={t('credits.spend.title')}
        description={t('credits.spend.description')}
        ranges={ranges}
        range={range}
        onRangeChange={setRange}
        rangeLabel={t('credits.spend.range')}
        rangeTestId="spend-range"
        query={spend}
        data={spend.data}
        isEmpty={(d) => d.total === 0}
        empty={{ title: t('credits.spend.empty'), description: t('credits.spend.emptyHint') }}
      >
        {(d) => <SpendBars series={d} />}
      </ChartCard>
    </div>
  );
}

function SpendBars({ series }: { series: SpendSeries }) {
  const { t, format } = useI18n();
  const money = useMoney();
  const rows: Row[] = series.days.map((d) => ({ ...d, value: d.amount / MINOR_UNITS_PER_CREDIT }));
  const max = Math.max(0, ...series.days.map((d) => d.amount));
  const scale = niceScale(max / MINOR_UNITS_PER_CREDIT, { floor: 0.01 });

  return (
    <ChartFigure
      title={t('credits.spend.chart')}
      description={t('credits.spend.total', { amount: money.withUnit(series.total) })}
      summary={t('credits.spend.summary', { total: money.withUnit(series.total), max: money.withUnit(max) })}
      testId="spend-bars"
      className="lg:col-span-2"
    >
      <ResponsiveContainer width="100%" height="100%" minWidth={0} initialDimension={{ width: 480, height: 224 }}>
        <BarChart data={rows} margin={chartMargin}>
          <CartesianGrid {...gridProps} />
          <XAxis
            dataKey="date"
            tickFormatter={(date: string) => format.dayMonth(localMidnight(date))}
            tick={axisTick}
            tickLine={false}
            axisLine={{ stroke: 'var(--border)' }}
            interval="preserveStartEnd"
            minTickGap={16}
          />
          <YAxis {...valueAxis(scale, (v) => money.compact(v * MINOR_UNITS_PER_CREDIT), 48)} />
          <Tooltip
            cursor={{ fill: 'var(--muted)', opacity: 0.6 }}
            content={({ active, payload }) => <SpendTooltip active={active} payload={payload} />}
            isAnimationActive={false}
          />
          <Bar
            dataKey="value"
            name={t('credits.spend.chart')}
            fill="var(--chart-1)"
            radius={[3, 3, 0, 0]}
            maxBarSize={28}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

function SpendTooltip({ active, payload }: Pick<TooltipContentProps, 'active' | 'payload'>) {
  const { format } = useI18n();
  const money = useMoney();
  const row = payload?.[0]?.payload as Row | undefined;
  if (!active || !row) return null;
  return (
    <div className="min-w-32 rounded-lg border bg-popover px-3 py-2 text-xs text-popover-foreground shadow-xl shadow-black/20">
      <p className="mb-1 font-medium">{format.date(new Date(localMidnight(row.date)).toISOString())}</p>
      <p className="font-medium tabular-nums">{money.withUnit(row.amount)}</p>
    </div>
  );
}
