import { z } from 'zod';
import { amountSchema } from './money.js';

/**
 * What a VM costs per hour. A template's running and stopped prices cover its
 * default size; each vCPU, GiB of memory and GiB of disk above that default
 * adds its unit price. Extra CPU and memory cost only while the VM runs; extra
 * disk costs whether it runs or not, as the base stopped price does.
 *
 * Memory is sized in MiB and priced per GiB, so a rate can be a fraction of a
 * minor unit: rates are carried as integers in 1/1024 of a minor unit
 * ("x1024"), which keeps every rate, and every charge computed from one, exact.
 * The database computes the same formula (migration 0007); a test holds the
 * two to each other.
 */
export const RATE_SCALE = 1024;

const unitPriceSchema = amountSchema.max(1_000_000 * 10_000);

export const unitPricesSchema = z
  .object({
    perCorePerHour: unitPriceSchema.describe('Minor units per hour for each vCPU above the default, while running'),
    perGibMemoryPerHour: unitPriceSchema.describe(
      'Minor units per hour for each GiB of memory above the default, while running',
    ),
    perGibDiskPerHour: unitPriceSchema.describe('Minor units per hour for each GiB of disk above the default, always'),
  })
  .meta({ id: 'UnitPrices' });
export type UnitPrices = z.infer<typeof unitPricesSchema>;

export interface PriceList {
  priceRunningPerHour: number;
  priceStoppedPerHour: number;
  unitPrices: UnitPrices;
  base: { cores: number; memoryMib: number; diskGib: number };
}

export interface Size {
  cores: number;
  memoryMib: number;
  diskGib: number;
}

/** Hourly rates of a VM of this size, in 1/1024 minor units (exact integers). */
export function hourlyRatesX1024(p: PriceList, size: Size): { running: number; stopped: number } {
  const extraCores = Math.max(0, size.cores - p.base.cores);
  const extraMib = Math.max(0, size.memoryMib - p.base.memoryMib);
  const extraDisk = Math.max(0, size.diskGib - p.base.diskGib);
  const disk = extraDisk * p.unitPrices.perGibDiskPerHour * RATE_SCALE;
  return {
    running:
      p.priceRunningPerHour * RATE_SCALE +
      extraCores * p.unitPrices.perCorePerHour * RATE_SCALE +
      extraMib * p.unitPrices.perGibMemoryPerHour +
      disk,
    stopped: p.priceStoppedPerHour * RATE_SCALE + disk,
  };
}

/** A rate in 1/1024 minor units, as minor units (possibly fractional) for display. */
export function rateToMinor(x1024: number): number {
  return x1024 / RATE_SCALE;
}

export const rateSchema = z
  .object({
    runningPerHour: z.number().nonnegative().describe('Minor units per hour while running or suspended'),
    stoppedPerHour: z.number().nonnegative().describe('Minor units per hour while stopped'),
  })
  .meta({ id: 'Rate' });
export type Rate = z.infer<typeof rateSchema>;

/** A VM's rates for display, in minor units per hour. */
export function ratesOf(p: PriceList, size: Size): Rate {
  const r = hourlyRatesX1024(p, size);
  return { runningPerHour: rateToMinor(r.running), stoppedPerHour: rateToMinor(r.stopped) };
}
