import type { HealthHistory, HealthPoint, HealthRange } from '@uni-manager/contracts';

export const RANGE_MS: Record<HealthRange, number> = {
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

/** One row per moment: the server's values and each node's, so one tooltip shows them all. */
export interface ChartRow {
  t: number;
  /** Reachability of the server at that moment, 0..1; undefined on the rows that only mark a gap. */
  up?: number;
  latency?: number | null;
  [key: `cpu:${string}` | `mem:${string}`]: number | null | undefined;
}

export interface Outage {
  from: number;
  to: number;
  /** Unreachable for the whole point, or for part of it (an hourly average below 1). */
  severity: 'down' | 'partial';
}

export interface ChartData {
  rows: ChartRow[];
  nodes: string[];
  outages: Outage[];
  stepMs: number;
  /** Anything to draw at all. */
  empty: boolean;
}

const time = (p: HealthPoint) => Date.parse(p.t);

/** The monitor's period as the data shows it: the median gap between samples, one minute when unsure. */
function stepOf(history: HealthHistory): number {
  if (history.resolution === 'hourly') return 3_600_000;
  const times = [...history.server, ...(history.nodes[0]?.points ?? [])].map(time).sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) {
    const gap = times[i]! - times[i - 1]!;
    if (gap > 1_000) gaps.push(gap);
  }
  if (gaps.length === 0) return 60_000;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)]!;
}

const percent = (used: number | null, total: number | null) =>
  used !== null && total !== null && total > 0 ? (used / total) * 100 : null;

/**
 * Merges the server's and the nodes' series into rows on a common time grid
 * (samples of one check fall in the same slot), leaves a null where a series
 * was unreachable so its line breaks there, and adds a break where the
 * monitor recorded nothing for a while, rather than drawing across the hole.
 */
export function toChartData(history: HealthHistory): ChartData {
  const stepMs = stepOf(history);
  const slots = new Map<number, ChartRow>();
  const rowAt = (t: number) => {
    const slot = Math.round(t / stepMs);
    let row = slots.get(slot);
    if (!row) {
      row = { t };
      slots.set(slot, row);
    }
    return row;
  };

  for (const p of history.server) {
    const row = rowAt(time(p));
    row.up = p.up;
    row.latency = p.up === 0 ? null : p.latencyMs;
  }
  const nodes = history.nodes.map((n) => n.node).sort((a, b) => a.localeCompare(b));
  for (const { node, points } of history.nodes) {
    for (const p of points) {
      const row = rowAt(time(p));
      const down = p.up === 0;
      row[`cpu:${node}`] = down || p.cpu === null ? null : p.cpu * 100;
      row[`mem:${node}`] = down ? null : percent(p.memUsed, p.memTotal);
    }
  }

  const sorted = [...slots.values()].sort((a, b) => a.t - b.t);
  const rows: ChartRow[] = [];
  for (const row of sorted) {
    const previous = rows[rows.length - 1];
    if (previous && row.t - previous.t > stepMs * 2.5) rows.push({ t: previous.t + stepMs, latency: null });
    rows.push(row);
  }

  return {
    rows,
    nodes,
    outages: outagesOf(history.server, stepMs),
    stepMs,
    empty: history.server.length === 0 && history.nodes.every((n) => n.points.length === 0),
  };
}

/** Consecutive points where the server could not be reached, as spans of time to shade. */
export function outagesOf(points: HealthPoint[], stepMs: number): Outage[] {
  const spans: Outage[] = [];
  const sorted = [...points].sort((a, b) => time(a) - time(b));
  for (const p of sorted) {
    if (p.up >= 1) continue;
    const severity = p.up === 0 ? 'down' : 'partial';
    // A raw sample stands for the minute around it; an hourly point for the hour that starts at it.
    const from = stepMs >= 3_600_000 ? time(p) : time(p) - stepMs / 2;
    const to = from + stepMs;
    const last = spans[spans.length - 1];
    if (last && last.severity === severity && from - last.to <= stepMs * 0.5) last.to = to;
    else spans.push({ from, to, severity });
  }
  return spans;
}

/** Round local times for the axis: every 10 minutes over an hour, every day over a week… */
/** Tick steps, in minutes, from which the axis takes the smallest that gives at most MAX_TICKS. */
const TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 1440 * 7];
const MAX_TICKS = 7;
/** The shortest window drawn: a few minutes of samples are not squeezed against both edges. */
const MIN_SPAN_MS = 15 * 60_000;

/**
 * The window a chart draws: the chosen range ending at `to`, narrowed to where
 * the data starts when it holds less than that. Ten minutes of samples on a
 * 24-hour range then fill the chart instead of a sliver at its right edge.
 */
export function fitSpan(range: HealthRange, to: number, firstAt: number | undefined): { from: number; to: number } {
  const full = to - RANGE_MS[range];
  if (firstAt === undefined || firstAt <= full) return { from: full, to };
  return { from: Math.max(full, Math.min(firstAt, to - MIN_SPAN_MS)), to };
}

/** Whether the window is long enough for its ticks to name days rather than times. */
export function isLongSpan(span: { from: number; to: number }): boolean {
  return span.to - span.from > 2 * 86_400_000;
}

/** Round local ticks over the window: every few minutes for a short one, midnights over days. */
export function ticksFor(from: number, to: number): number[] {
  const minutes = (to - from) / 60_000;
  const stepMinutes = TICK_STEPS.find((s) => minutes / s <= MAX_TICKS) ?? TICK_STEPS.at(-1)!;
  const start = new Date(from);
  if (stepMinutes >= 1440) start.setHours(0, 0, 0, 0);
  else {
    const sinceMidnight = start.getHours() * 60 + start.getMinutes();
    start.setHours(0, Math.ceil(sinceMidnight / stepMinutes) * stepMinutes, 0, 0);
  }
  const ticks: number[] = [];
  const cursor = new Date(start);
  while (cursor.getTime() <= to) {
    if (cursor.getTime() >= from) ticks.push(cursor.getTime());
    // Whole calendar steps, so a change to or from summer time keeps ticks on round hours and midnights.
    if (stepMinutes >= 1440) cursor.setDate(cursor.getDate() + stepMinutes / 1440);
    else cursor.setMinutes(cursor.getMinutes() + stepMinutes);
  }
  return ticks;
}

/** The newest value of a series, for the text summary screen readers get instead of the drawing. */
export function latest(rows: ChartRow[], key: keyof ChartRow): number | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const v = rows[i]![key];
    if (typeof v === 'number') return v;
  }
  return null;
}

/**
 * A round top for a value axis and the ticks up to it: 0–10 % reads better
 * than a line flat on the floor of 0–100 %, and 0–50 ms better than 0–55 ms.
 */
export function niceScale(
  max: number,
  { floor, limit = Number.POSITIVE_INFINITY }: { floor: number; limit?: number },
): { max: number; ticks: number[] } {
  const target = Math.min(limit, Math.max(max * 1.1, floor));
  const magnitude = 10 ** Math.floor(Math.log10(target));
  const top = Math.min(limit, [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((v) => v >= target) ?? 10 * magnitude);
  const parts = [1, 2.5, 5, 10].includes(top / magnitude) ? 5 : 4;
  return { max: top, ticks: Array.from({ length: parts + 1 }, (_, i) => (top / parts) * i) };
}

/** The largest value of the given series, 0 when there is none. */
export function maxOf(rows: ChartRow[], keys: Array<keyof ChartRow>): number {
  let max = 0;
  for (const row of rows)
    for (const key of keys) {
      const v = row[key];
      if (typeof v === 'number' && v > max) max = v;
    }
  return max;
}
