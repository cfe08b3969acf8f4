'use client';

import { healthRanges, type HealthRange } from '@uni-manager/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import {
  Area,
  AreaChart,
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from 'recharts';
import {
  activeDot,
  areaGradient,
  chartMargin,
  ChartCard,
  ChartFigure,
  gridProps,
  tooltipCursor,
  useTimeAxis,
  valueAxis,
} from '@/components/charts/chart-kit';
import { Skeleton } from '@/components/ui/skeleton';
import { queryKeys } from '@/lib/api/query-keys';
import { fetchServerHealth } from '@/lib/api/servers';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import {
  latest,
  maxOf,
  niceScale,
  fitSpan,
  toChartData,
  type ChartData,
  type ChartRow,
  type Outage,
} from './chart-data';

/** Node colours from the design tokens, so both themes get colours made for them. */
const SERIES_COLORS = ['var(--chart-1)', 'var(--chart-2)', 'var(--chart-3)', 'var(--chart-4)', 'var(--chart-5)'];
const colorOf = (index: number) => SERIES_COLORS[index % SERIES_COLORS.length]!;

/** A new sample arrives every minute; a longer range changes only hourly. */
const REFRESH_MS = 60_000;

interface HealthChartsProps {
  serverId: string;
  range: HealthRange;
  onRangeChange: (range: HealthRange) => void;
}

export function HealthCharts({ serverId, range, onRangeChange }: HealthChartsProps) {
  const { t } = useI18n();
  const history = useQuery({
    queryKey: queryKeys.adminServerHealth(serverId, range),
    queryFn: ({ signal }) => fetchServerHealth(serverId, range, signal),
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
  });
  const data = history.data ? toChartData(history.data) : undefined;
  // The window ends when the data was fetched: a pure "now" that moves with each refresh.
  const to = Math.max(history.dataUpdatedAt, data?.rows[data.rows.length - 1]?.t ?? 0);
  const span = fitSpan(range, to, data?.rows[0]?.t);

  return (
    <ChartCard
      testId="health-charts"
      title={t('servers.charts.title')}
      description={t('servers.charts.description')}
      ranges={healthRanges}
      range={range}
      onRangeChange={onRangeChange}
      rangeLabel={t('servers.charts.range')}
      rangeTestId="health-range"
      query={history}
      data={data}
      isEmpty={(d) => d.empty}
      empty={{ title: t('servers.charts.empty'), description: t('servers.charts.emptyHint') }}
      loading={<Skeleton className="h-52 lg:col-span-2" />}
    >
      {(d) => (
        <>
          <Legend data={d} className="lg:col-span-2" />
          <NodeChart data={d} span={span} metric="cpu" />
          <NodeChart data={d} span={span} metric="mem" />
          <LatencyChart data={d} span={span} className="lg:col-span-2" />
        </>
      )}
    </ChartCard>
  );
}

function Legend({ data, className }: { data: ChartData; className?: string }) {
  const { t } = useI18n();
  return (
    <ul className={cn('flex flex-wrap items-center gap-x-5 gap-y-2 text-xs text-muted-foreground', className)}>
      {data.nodes.map((node, i) => (
        <li key={node} className="flex items-center gap-2">
          <span aria-hidden className="h-0.5 w-4 rounded-full" style={{ background: colorOf(i) }} />
          <span className="font-medium text-foreground">{node}</span>
        </li>
      ))}
      {data.outages.length > 0 ? (
        <li className="flex items-center gap-2">
          <span aria-hidden className="size-3 rounded-sm border border-destructive/40 bg-destructive/25" />
          {t('servers.charts.outageLegend')}
        </li>
      ) : null}
    </ul>
  );
}

interface ChartProps {
  data: ChartData;
  span: { from: number; to: number };
  className?: string;
}

function OutageAreas({ outages }: { outages: Outage[] }) {
  return outages.map((o) => (
    <ReferenceArea
      key={`${o.from}-${o.severity}`}
      x1={o.from}
      x2={o.to}
      ifOverflow="hidden"
      fill="var(--destructive)"
      fillOpacity={o.severity === 'down' ? 0.2 : 0.09}
      stroke="none"
    />
  ));
}

function NodeChart({ data, span, metric, className }: ChartProps & { metric: 'cpu' | 'mem' }) {
  const { t, format } = useI18n();
  const xAxis = useTimeAxis(span);
  const keyOf = (node: string) => `${metric}:${node}` as const;
  const hasValues = data.nodes.some((node) => latest(data.rows, keyOf(node)) !== null);
  const scale = niceScale(maxOf(data.rows, data.nodes.map(keyOf)), { floor: 5, limit: 100 });
  const summary = data.nodes
    .map((node) => {
      const value = latest(data.rows, keyOf(node));
      return `${node}: ${value === null ? t('common.none') : format.percent(value / 100)}`;
    })
    .join(', ');

  return (
    <ChartFigure
      title={metric === 'cpu' ? t('servers.charts.cpu') : t('servers.charts.memory')}
      description={metric === 'cpu' ? t('servers.charts.cpuDescription') : t('servers.charts.memoryDescription')}
      summary={t('servers.charts.latest', { values: summary })}
      testId={metric === 'cpu' ? 'cpu-chart' : 'memory-chart'}
      className={className}
    >
      {hasValues ? (
        <ResponsiveContainer width="100%" height="100%" minWidth={0} initialDimension={{ width: 480, height: 224 }}>
          <LineChart data={data.rows} margin={chartMargin}>
            <CartesianGrid {...gridProps} />
            <OutageAreas outages={data.outages} />
            <XAxis {...xAxis} />
            <YAxis {...valueAxis(scale, (v) => format.percent(v / 100), 44)} />
            <Tooltip
              cursor={tooltipCursor}
              content={({ active, payload, label }) => (
                <ChartTooltip
                  active={active}
                  payload={payload}
                  label={label}
                  value={(v) => format.percent(v / 100, 1)}
                />
              )}
              isAnimationActive={false}
            />
            {data.nodes.map((node, i) => (
              <Line
                key={node}
                dataKey={keyOf(node)}
                name={node}
                type="monotone"
                stroke={colorOf(i)}
                strokeWidth={1.75}
                dot={isolatedDot(data.rows, keyOf(node), colorOf(i))}
                activeDot={activeDot}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      ) : (
        <NoData />
      )}
    </ChartFigure>
  );
}

function LatencyChart({ data, span, className }: ChartProps) {
  const { t, format } = useI18n();
  const xAxis = useTimeAxis(span);
  const gradientId = useId().replace(/:/g, '');
  const last = latest(data.rows, 'latency');
  const scale = niceScale(maxOf(data.rows, ['latency']), { floor: 10 });

  return (
    <ChartFigure
      title={t('servers.charts.latency')}
      description={t('servers.charts.latencyDescription')}
      summary={t('servers.charts.latest', {
        values: last === null ? t('common.none') : t('servers.result.ms', { value: format.number(Math.round(last)) }),
      })}
      testId="latency-chart"
      className={className}
      height="h-48"
    >
      {last !== null || data.outages.length > 0 ? (
        <ResponsiveContainer width="100%" height="100%" minWidth={0} initialDimension={{ width: 960, height: 192 }}>
          <AreaChart data={data.rows} margin={chartMargin}>
            {areaGradient(gradientId, 'var(--chart-1)')}
            <CartesianGrid {...gridProps} />
            <OutageAreas outages={data.outages} />
            <XAxis {...xAxis} />
            <YAxis {...valueAxis(scale, (v) => t('servers.result.ms', { value: format.number(v) }), 60)} />
            <Tooltip
              cursor={tooltipCursor}
              content={({ active, payload, label }) => (
                <ChartTooltip
                  active={active}
                  payload={payload}
                  label={label}
                  value={(v) => t('servers.result.ms', { value: format.number(Math.round(v)) })}
                  single={t('servers.charts.latencyShort')}
                />
              )}
              isAnimationActive={false}
            />
            <Area
              dataKey="latency"
              name={t('servers.charts.latencyShort')}
              type="monotone"
              stroke="var(--chart-1)"
              strokeWidth={1.75}
              fill={`url(#${gradientId})`}
              dot={isolatedDot(data.rows, 'latency', 'var(--chart-1)')}
              activeDot={activeDot}
              connectNulls={false}
              isAnimationActive={false}
            />
          </AreaChart>
        </ResponsiveContainer>
      ) : (
        <NoData />
      )}
    </ChartFigure>
  );
}

/**
 * A value whose neighbours are missing (one sample between two outages, the
 * only hourly point so far) has no segment to draw: it gets a dot instead.
 */
function isolatedDot(rows: ChartRow[], key: keyof ChartRow, color: string) {
  const has = (i: number) => typeof rows[i]?.[key] === 'number';
  return function renderDot({ cx, cy, index }: { cx?: number; cy?: number; index: number }) {
    if (cx === undefined || cy === undefined || !has(index) || has(index - 1) || has(index + 1)) return null;
    return <circle key={index} cx={cx} cy={cy} r={2.5} fill={color} />;
  };
}

function NoData() {
  const { t } = useI18n();
  return (
    <div className="ml-2 flex h-full items-center justify-center rounded-lg border border-dashed text-sm text-muted-foreground">
      {t('servers.charts.noData')}
    </div>
  );
}

/** Time in the user's language and each series' value, or "unreachable" where the server did not answer. */
function ChartTooltip({
  active,
  payload,
  label,
  value,
  single,
}: Pick<TooltipContentProps, 'active' | 'payload' | 'label'> & { value: (v: number) => string; single?: string }) {
  const { t, format } = useI18n();
  if (!active || !payload?.length || typeof label !== 'number') return null;
  const row = payload[0]?.payload as ChartRow | undefined;
  const down = row?.up === 0;
  const partial = row?.up !== undefined && row.up > 0 && row.up < 1;
  return (
    <div className="min-w-40 rounded-lg border bg-popover px-3 py-2 text-xs text-popover-foreground shadow-xl shadow-black/20">
      <p className="mb-1.5 font-medium">{format.shortDateTime(label)}</p>
      {down ? (
        <p className="font-medium text-destructive">{t('servers.charts.unreachable')}</p>
      ) : (
        <ul className="grid gap-1">
          {payload.map((entry) => (
            <li key={String(entry.dataKey)} className="flex items-center justify-between gap-4">
              <span className="flex items-center gap-1.5 text-muted-foreground">
                {single ? null : (
                  <span aria-hidden className="size-2 rounded-full" style={{ background: entry.color }} />
                )}
                {single ?? entry.name}
              </span>
              <span className="font-medium tabular-nums">
                {typeof entry.value === 'number' ? value(entry.value) : t('servers.charts.unreachable')}
              </span>
            </li>
          ))}
        </ul>
      )}
      {partial ? (
        <p className="mt-1.5 text-warning">
          {t('servers.charts.partlyUnreachable', { percent: format.percent(1 - row!.up!) })}
        </p>
      ) : null}
    </div>
  );
}
