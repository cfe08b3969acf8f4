'use client';

import { metricsRanges, type PowerState, type VmMetrics } from '@uni-manager/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import {
  Area,
  AreaChart,
  CartesianGrid,
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
import { fitSpan, niceScale } from '@/components/servers/chart-data';
import { queryKeys } from '@/lib/api/query-keys';
import { fetchVmMetrics, type MetricsRange } from '@/lib/api/vms';
import { useI18n } from '@/lib/i18n/i18n-provider';

const REFRESH_MS = 60_000;
const FIRST_SAMPLES_MS = 10_000;
const GIB = 1024 ** 3;

interface Row {
  t: number;
  cpu: number | null;
  mem: number | null;
  memTotal: number | null;
}

export interface VmChartData {
  rows: Row[];
  /** Spans when the VM was not running: shaded, since a flat line there means "off", not "idle". */
  off: Array<{ from: number; to: number }>;
  memTotal: number;
}

/**
 * Rows for the charts, with a break wherever samples stop for longer than a
 * few periods (the VM was off, the collector down) rather than a line drawn
 * across the hole.
 */
export function toVmChartData(metrics: VmMetrics, to: number): VmChartData {
  const samples = [...metrics.samples].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const times = samples.map((s) => Date.parse(s.at));
  const gaps = times
    .slice(1)
    .map((t, i) => t - times[i]!)
    .sort((a, b) => a - b);
  const step = gaps[Math.floor(gaps.length / 2)] ?? 60_000;
  const rows: Row[] = [];
  samples.forEach((s, i) => {
    const t = times[i]!;
    const prev = times[i - 1];
    if (prev !== undefined && t - prev > step * 2.5)
      rows.push({ t: prev + step, cpu: null, mem: null, memTotal: null });
    rows.push({ t, cpu: s.cpu * 100, mem: s.memUsedBytes / GIB, memTotal: s.memTotalBytes / GIB });
  });
  const off: VmChartData['off'] = [];
  metrics.states.forEach((s, i) => {
    // Before it was created it was not "off", it did not exist yet.
    if (s.powerState === 'running' || s.status === 'provisioning') return;
    const from = Date.parse(s.at);
    const next = metrics.states[i + 1];
    off.push({ from, to: next ? Date.parse(next.at) : to });
  });
  const memTotal = Math.max(0, ...rows.map((r) => r.memTotal ?? 0));
  return { rows, off, memTotal };
}

interface VmChartsProps {
  vmId: string;
  /** The VM's power state as the page knows it: when it changes, the charts are fetched again. */
  powerState: PowerState;
  range: MetricsRange;
  onRangeChange: (range: MetricsRange) => void;
}

export function VmCharts({ vmId, powerState, range, onRangeChange }: VmChartsProps) {
  const { t } = useI18n();
  const metrics = useQuery({
    // Keyed by the power state: the charts of a VM that just started do not keep saying it is off.
    queryKey: queryKeys.vmMetrics(vmId, range, powerState),
    queryFn: ({ signal }) => fetchVmMetrics(vmId, range, signal),
    placeholderData: keepPreviousData,
    // Running without samples yet: the first ones come within a monitoring cycle, so look again soon.
    refetchInterval: (q) =>
      powerState === 'running' && q.state.data?.samples.length === 0 ? FIRST_SAMPLES_MS : REFRESH_MS,
  });
  const lastSample = metrics.data?.samples.at(-1);
  const to = Math.max(metrics.dataUpdatedAt, lastSample ? Date.parse(lastSample.at) : 0);
  const first = metrics.data?.samples.reduce((min, s) => Math.min(min, Date.parse(s.at)), Infinity);
  const span = fitSpan(range, to, first === undefined || first === Infinity ? undefined : first);
  const data = metrics.data ? toVmChartData(metrics.data, to) : undefined;

  return (
    <ChartCard
      testId="vm-charts"
      title={t('vms.charts.title')}
      description={t('vms.charts.description')}
      ranges={metricsRanges}
      range={range}
      onRangeChange={onRangeChange}
      rangeLabel={t('vms.charts.range')}
      rangeTestId="vm-metrics-range"
      query={metrics}
      data={data}
      isEmpty={(d) => d.rows.length === 0}
      empty={{ title: t('vms.charts.empty'), description: t('vms.charts.emptyHint') }}
    >
      {(d) => (
        <>
          {d.off.length > 0 ? (
            <p className="flex items-center gap-2 text-xs text-muted-foreground lg:col-span-2">
              <span aria-hidden className="size-3 rounded-sm border border-border bg-muted-foreground/20" />
              {t('vms.charts.offLegend')}
            </p>
          ) : null}
          <MetricChart data={d} span={span} metric="cpu" />
          <MetricChart data={d} span={span} metric="mem" />
        </>
      )}
    </ChartCard>
  );
}

function MetricChart({
  data,
  span,
  metric,
}: {
  data: VmChartData;
  span: { from: number; to: number };
  metric: 'cpu' | 'mem';
}) {
  const { t, format } = useI18n();
  const xAxis = useTimeAxis(span);
  const gradientId = useId().replace(/:/g, '');
  const color = metric === 'cpu' ? 'var(--chart-1)' : 'var(--chart-2)';
  const show = (v: number) =>
    metric === 'cpu' ? format.percent(v / 100, 1) : t('vms.units.gib', { value: format.decimal(v, 2) });
  const values = data.rows.map((r) => r[metric]).filter((v): v is number => v !== null);
  const last = values.at(-1);
  const scale =
    metric === 'cpu'
      ? niceScale(Math.max(0, ...values), { floor: 5, limit: 100 })
      : niceScale(data.memTotal || Math.max(0, ...values), { floor: 0.5 });

  return (
    <ChartFigure
      title={metric === 'cpu' ? t('vms.charts.cpu') : t('vms.charts.memory')}
      description={metric === 'cpu' ? t('vms.charts.cpuDescription') : t('vms.charts.memoryDescription')}
      summary={t('servers.charts.latest', { values: last === undefined ? t('common.none') : show(last) })}
      testId={metric === 'cpu' ? 'vm-cpu-chart' : 'vm-memory-chart'}
    >
      <ResponsiveContainer width="100%" height="100%" minWidth={0} initialDimension={{ width: 480, height: 224 }}>
        <AreaChart data={data.rows} margin={chartMargin}>
          {areaGradient(gradientId, color)}
          <CartesianGrid {...gridProps} />
          {data.off.map((o) => (
            <ReferenceArea
              key={o.from}
              x1={Math.max(o.from, span.from)}
              x2={o.to}
              ifOverflow="hidden"
              fill="var(--muted-foreground)"
              fillOpacity={0.12}
              stroke="none"
            />
          ))}
          <XAxis {...xAxis} allowDataOverflow />
          <YAxis
            {...valueAxis(
              scale,
              (v) => (metric === 'cpu' ? format.percent(v / 100) : t('vms.units.gib', { value: format.decimal(v, 1) })),
              metric === 'cpu' ? 44 : 60,
            )}
          />
          <Tooltip
            cursor={tooltipCursor}
            content={({ active, payload, label }) => (
              <MetricTooltip active={active} payload={payload} label={label} show={show} metric={metric} />
            )}
            isAnimationActive={false}
          />
          <Area
            dataKey={metric}
            name={metric === 'cpu' ? t('vms.charts.cpu') : t('vms.charts.memory')}
            type="monotone"
            stroke={color}
            strokeWidth={1.75}
            fill={`url(#${gradientId})`}
            activeDot={activeDot}
            connectNulls={false}
            isAnimationActive={false}
          />
        </AreaChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

function MetricTooltip({
  active,
  payload,
  label,
  show,
  metric,
}: Pick<TooltipContentProps, 'active' | 'payload' | 'label'> & { show: (v: number) => string; metric: 'cpu' | 'mem' }) {
  const { t, format } = useI18n();
  if (!active || !payload?.length || typeof label !== 'number') return null;
  const row = payload[0]?.payload as Row | undefined;
  if (!row || row[metric] === null) return null;
  return (
    <div className="min-w-36 rounded-lg border bg-popover px-3 py-2 text-xs text-popover-foreground shadow-xl shadow-black/20">
      <p className="mb-1 font-medium">{format.shortDateTime(label)}</p>
      <p className="font-medium tabular-nums">
        {metric === 'mem' && row.memTotal
          ? t('vms.charts.memoryOf', { used: show(row.mem!), total: show(row.memTotal) })
          : show(row[metric]!)}
      </p>
    </div>
  );
}
