import { MINOR_UNITS_PER_CREDIT, type BillingReport } from '@uni-manager/contracts';
import { localMidnight } from '@/lib/days';

export interface DayRow {
  /** The UTC day, as the report groups them. */
  date: string;
  /** Local midnight of that calendar date, for the axis: a day label must not slide to the day before. */
  t: number;
  /** Credits, for drawing only: the figures shown are formatted from the minor units. */
  usage: number;
  granted: number;
  payments: number;
  minor: { usage: number; granted: number; payments: number };
}

const DAY_MS = 86_400_000;

/**
 * One row per day of the report's span, zero where nothing moved: the report
 * lists only the days that had transactions, and a bar chart with holes
 * silently joins Monday to Thursday.
 */
export function dayRows(report: BillingReport, now: number): DayRow[] {
  const byDate = new Map(report.byDay.map((d) => [d.date, d]));
  const start = Math.floor(Date.parse(report.from) / DAY_MS) * DAY_MS;
  const end = Math.min(Date.parse(report.to), now);
  const rows: DayRow[] = [];
  for (let t = start; t <= end && rows.length <= 400; t += DAY_MS) {
    const date = new Date(t).toISOString().slice(0, 10);
    const d = byDate.get(date);
    const minor = { usage: d?.usage ?? 0, granted: d?.granted ?? 0, payments: d?.payments ?? 0 };
    rows.push({
      date,
      t: localMidnight(date),
      usage: minor.usage / MINOR_UNITS_PER_CREDIT,
      granted: minor.granted / MINOR_UNITS_PER_CREDIT,
      payments: minor.payments / MINOR_UNITS_PER_CREDIT,
      minor,
    });
  }
  return rows;
}
