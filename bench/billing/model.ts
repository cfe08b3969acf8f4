import { hourlyRatesX1024, type PriceList } from '@uni-manager/contracts';
import { MICROS_PER_HOUR, OWED_DENOMINATOR } from '../../apps/api/src/modules/billing/billing.meter.js';

/**
 * What one VM owes, computed in JavaScript with BigInt from its meter and its
 * rate periods, by the rules billing.meter.ts states (cumulative:
 * floor(owed / OWED_DENOMINATOR) − settled; split at UTC months, each capped
 * at capHours of its highest rate). A second implementation, so the SQL can be
 * held against it. Times are microseconds since the epoch.
 */
export interface Meter {
  meteredThrough: bigint;
  monthStart: bigint;
  monthUsage: bigint;
  monthMaxRate: bigint;
  priorOwed: bigint;
  settled: bigint;
}

export interface RatePeriod {
  startsAt: bigint;
  /** Rate per hour in 1/1024 minor units. */
  rate: bigint;
  /** Breaks ties between periods starting at the same instant: the later row wins. */
  id: bigint;
}

export interface Charge {
  /** Whole minor units to charge now. */
  amount: bigint;
  periodStart: bigint;
  monthStart: bigint;
  monthUsage: bigint;
  monthMaxRate: bigint;
  priorOwed: bigint;
}

const US_PER_MS = 1000n;

/** The first instant of the UTC month holding `us`. */
export function monthOf(us: bigint): bigint {
  const d = new Date(Number(us / US_PER_MS));
  return BigInt(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)) * US_PER_MS;
}

function nextMonth(month: bigint): bigint {
  const d = new Date(Number(month / US_PER_MS));
  return BigInt(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)) * US_PER_MS;
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

export function chargeFor(meter: Meter, periods: readonly RatePeriod[], at: bigint, capHours: number): Charge {
  const from = meter.meteredThrough;
  const sorted = [...periods].sort((x, y) =>
    x.startsAt !== y.startsAt ? (x.startsAt < y.startsAt ? -1 : 1) : x.id < y.id ? -1 : x.id > y.id ? 1 : 0,
  );
  // The rate in force when the meter stopped, then each change after it and before `at`.
  const steps: { from: bigint; rate: bigint }[] = [];
  const inForce = sorted.filter((p) => p.startsAt <= from).at(-1);
  if (inForce) steps.push({ from, rate: inForce.rate });
  for (const p of sorted) if (p.startsAt > from && p.startsAt < at) steps.push({ from: p.startsAt, rate: p.rate });

  const months = new Map<bigint, { usage: bigint; maxRate: bigint }>();
  const add = (month: bigint, usage: bigint, rate: bigint) => {
    const m = months.get(month);
    months.set(month, m ? { usage: m.usage + usage, maxRate: max(m.maxRate, rate) } : { usage, maxRate: rate });
  };
  steps.forEach((s, k) => {
    const until = steps[k + 1]?.from ?? at;
    for (let month = monthOf(s.from); month < until; month = nextMonth(month)) {
      const us = min(until, nextMonth(month)) - max(s.from, month);
      if (us > 0n) add(month, s.rate * us, s.rate);
    }
  });
  add(meter.monthStart, meter.monthUsage, meter.monthMaxRate);

  const cap = (m: { usage: bigint; maxRate: bigint }) =>
    capHours > 0 ? min(m.usage, m.maxRate * BigInt(capHours) * MICROS_PER_HOUR) : m.usage;
  const current = [...months.keys()].reduce(max);
  let priorAdd = 0n;
  for (const [month, m] of months) if (month < current) priorAdd += cap(m);
  const now = months.get(current)!;
  const priorOwed = meter.priorOwed + priorAdd;
  return {
    amount: (priorOwed + cap(now)) / OWED_DENOMINATOR - meter.settled,
    periodStart: from,
    monthStart: current,
    monthUsage: now.usage,
    monthMaxRate: now.maxRate,
    priorOwed,
  };
}

export interface VmState {
  status: string;
  powerState: string;
  cores: number;
  memoryMib: number;
  diskGib: number;
}

/** A VM's hourly rate in a state, from the contracts' price formula: what the generated column must agree with. */
export function rateOf(prices: PriceList, s: VmState): bigint {
  if (s.status !== 'active' && s.status !== 'deleting') return 0n;
  const r = hourlyRatesX1024(prices, s);
  return BigInt(s.powerState === 'running' || s.powerState === 'paused' ? r.running : r.stopped);
}

/** A numeric column's text as an exact integer ("123.000000" → 123n); anything fractional is a bug. */
export function integerOf(numeric: string): bigint {
  const [whole, fraction = ''] = numeric.split('.');
  if (/[^0]/.test(fraction)) throw new Error(`expected an integer, got ${numeric}`);
  return BigInt(whole!);
}

/** An instant in microseconds as an ISO string PostgreSQL reads exactly (Date alone keeps milliseconds). */
export function isoMicros(us: bigint): string {
  const iso = new Date(Number(us / US_PER_MS)).toISOString();
  return `${iso.slice(0, -1)}${String(us % US_PER_MS).padStart(3, '0')}Z`;
}
