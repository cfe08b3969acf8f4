'use client';

import type { HealthRange } from '@uni-manager/contracts';
import { ChartLine } from 'lucide-react';
import { useId, type ReactNode } from 'react';
import { isLongSpan, ticksFor } from '@/components/servers/chart-data';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryError } from '@/components/ui/query-error';
import { Skeleton } from '@/components/ui/skeleton';
import { ToggleGroup, ToggleGroupItem } from '@/components/ui/toggle-group';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';

/*
 * What every time-series chart of the console shares: the card with its range
 * picker and loading, error and empty states, the figure around each chart,
 * and the axes, tooltip cursor and colours, taken from the design tokens
 * (globals.css) so both themes get colours made for them.
 */

export const axisTick = { fill: 'var(--muted-foreground)', fontSize: 11 };
export const chartMargin = { top: 6, right: 12, bottom: 0, left: 0 };
export const gridProps = { stroke: 'var(--border)', strokeDasharray: '3 3', vertical: false } as const;
export const tooltipCursor = { stroke: 'var(--muted-foreground)', strokeDasharray: '3 3' };
export const activeDot = { r: 3.5, strokeWidth: 0 };

/** The x axis: time over the window (see fitSpan), on round local ticks; days rather than hours over days. */
export function useTimeAxis(span: { from: number; to: number }) {
  const { format } = useI18n();
  const long = isLongSpan(span);
  return {
    type: 'number' as const,
    dataKey: 't',
    scale: 'time' as const,
    domain: [span.from, span.to],
    ticks: ticksFor(span.from, span.to),
    tickFormatter: (ms: number) => (long ? format.dayMonth(ms) : format.time(ms)),
    tick: axisTick,
    tickLine: false,
    axisLine: { stroke: 'var(--border)' },
    minTickGap: 16,
  };
}

/** The y axis: from zero to a round maximum, labelled by `label`. */
export function valueAxis(scale: { max: number; ticks: number[] }, label: (v: number) => string, width: number) {
  return {
    domain: [0, scale.max],
    ticks: scale.ticks,
    tickFormatter: label,
    tick: axisTick,
    tickLine: false,
    axisLine: false,
    width,
  };
}

/** The fill under an area: its colour, fading downwards. Called, not rendered, so it lands in the chart's SVG. */
export function areaGradient(id: string, color: string) {
  return (
    <defs>
      <linearGradient id={id} x1="0" y1="0" x2="0" y2="1">
        <stop offset="0%" stopColor={color} stopOpacity={0.35} />
        <stop offset="100%" stopColor={color} stopOpacity={0.02} />
      </linearGradient>
    </defs>
  );
}

interface ChartCardProps<R extends HealthRange, D> {
  /** The card's data-testid; its title's id is this followed by "-title". */
  testId: string;
  title: string;
  description: string;
  ranges: readonly R[];
  range: R;
  onRangeChange: (range: R) => void;
  rangeLabel: string;
  rangeTestId: string;
  query: { isPending: boolean; isError: boolean; error: unknown; isPlaceholderData: boolean; refetch: () => unknown };
  /** The query's data as the charts use it; undefined until it came. */
  data: D | undefined;
  isEmpty: (data: D) => boolean;
  empty: { title: string; description: string };
  /** Placeholders beyond the two charts every card has, while the first answer is on its way. */
  loading?: ReactNode;
  children: (data: D) => ReactNode;
}

/** A card of charts over a chosen range; while a new range loads, the old charts stay, dimmed. */
export function ChartCard<R extends HealthRange, D>({
  testId,
  title,
  description,
  ranges,
  range,
  onRangeChange,
  rangeLabel,
  rangeTestId,
  query,
  data,
  isEmpty,
  empty,
  loading,
  children,
}: ChartCardProps<R, D>) {
  const { t } = useI18n();
  const titleId = `${testId}-title`;
  return (
    <Card aria-labelledby={titleId} data-testid={testId}>
      <CardHeader className="gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="space-y-1.5">
          <CardTitle id={titleId}>{title}</CardTitle>
          <CardDescription>{description}</CardDescription>
        </div>
        <ToggleGroup
          type="single"
          value={range}
          onValueChange={(value) => value && onRangeChange(value as R)}
          aria-label={rangeLabel}
          className="self-start"
          data-testid={rangeTestId}
          data-value={range}
        >
          {ranges.map((r) => (
            <ToggleGroupItem key={r} value={r} aria-label={t(`servers.charts.rangeLabels.${r}`)} data-range={r}>
              {t(`servers.charts.ranges.${r}`)}
            </ToggleGroupItem>
          ))}
        </ToggleGroup>
      </CardHeader>
      <CardContent>
        {query.isPending ? (
          <div className="grid gap-6 lg:grid-cols-2" aria-busy>
            <Skeleton className="h-64" />
            <Skeleton className="h-64" />
            {loading}
          </div>
        ) : query.isError && !data ? (
          <QueryError error={query.error} onRetry={() => void query.refetch()} />
        ) : !data || isEmpty(data) ? (
          <EmptyState icon={ChartLine} title={empty.title} description={empty.description} className="py-14" />
        ) : (
          <div
            className={cn('grid gap-x-6 gap-y-8 lg:grid-cols-2', query.isPlaceholderData && 'opacity-60')}
            aria-busy={query.isPlaceholderData}
          >
            {children(data)}
          </div>
        )}
      </CardContent>
    </Card>
  );
}

/** A chart with its title, a text summary for screen readers, and a frame of fixed height. */
export function ChartFigure({
  title,
  description,
  summary,
  testId,
  className,
  height = 'h-56',
  children,
}: {
  title: string;
  description: string;
  summary: string;
  testId: string;
  className?: string;
  height?: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <figure className={cn('min-w-0 space-y-3', className)} aria-labelledby={`${id}-title`} data-testid={testId}>
      <figcaption>
        <p id={`${id}-title`} className="text-sm font-medium">
          {title}
        </p>
        <p className="text-xs text-muted-foreground">{description}</p>
        <p className="sr-only">{summary}</p>
      </figcaption>
      <div className={cn(height, '-ml-2')}>{children}</div>
    </figure>
  );
}
