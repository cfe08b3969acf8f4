import { sql } from 'drizzle-orm';
import type { Db } from '../../apps/api/src/db/client.js';
import { query } from '../../apps/api/src/lib/sql.js';
import { chargeFor, monthOf, rateOf, type RatePeriod, type VmState } from './model.js';
import { PRICES } from './seed.js';

export interface Expectation {
  vms: number;
  /** Sum of what every VM should have been charged or waived. */
  total: bigint;
  waived: bigint;
  /** VMs with something to charge (owner not exempt): one transfer each. */
  transfers: number;
  /** One for each VM's start, one for each event that changed its rate. */
  ratePeriods: number;
  /** VMs whose meter does not hold what the plan says they owe, with a few examples. */
  mismatches: number;
  examples: string[];
}

/**
 * Expected charges from the seeding plan alone: each VM's states over the
 * hour (bench_vms, bench_events), priced by the contracts' formula, integrated
 * exactly. Independent of the vms trigger, the generated rate columns and the
 * metering SQL; compared with every VM's meter after the cycle (a fresh meter
 * settles exactly what the cycle charged or waived).
 */
export async function checkAgainstPlan(db: Db, hourStartUs: bigint, atUs: bigint, capHours: number, chunk = 50_000) {
  const out: Expectation = {
    vms: 0,
    total: 0n,
    waived: 0n,
    transfers: 0,
    ratePeriods: 0,
    mismatches: 0,
    examples: [],
  };
  const last = await query<{ n: number | null }>(db, sql`select max(i) as n from bench_vms`);
  const maxI = Number(last.rows[0]?.n ?? 0);
  for (let lo = 1; lo <= maxI; lo += chunk) {
    const hi = lo + chunk - 1;
    const vms = await query<{
      i: number;
      id: string;
      power0: string;
      cores0: number;
      mem0: number;
      disk: number;
      exempt: boolean;
      settled: string;
      waived: string;
    }>(
      db,
      sql`
      select p.i, p.id, p.power0, p.cores0, p.mem0, p.disk, u.billing_exempt as exempt,
        m.settled::text, m.waived::text
      from bench_vms p join vm_meters m on m.vm_id = p.id join users u on u.id = m.owner_id
      where p.i between ${lo} and ${hi} order by p.i`,
    );
    const events = await query<{
      i: number;
      at_us: string;
      status: string;
      power_state: string;
      cores: number;
      memory_mib: number;
    }>(
      db,
      sql`select i, at_us::text, status, power_state, cores, memory_mib from bench_events
          where i between ${lo} and ${hi} order by i, seq`,
    );
    const byVm = new Map<number, typeof events.rows>();
    for (const e of events.rows) byVm.set(e.i, [...(byVm.get(e.i) ?? []), e]);

    for (const v of vms.rows) {
      let state: VmState = {
        status: 'active',
        powerState: v.power0,
        cores: v.cores0,
        memoryMib: v.mem0,
        diskGib: v.disk,
      };
      const periods: RatePeriod[] = [{ id: 0n, startsAt: hourStartUs, rate: rateOf(PRICES, state) }];
      let changes = 1;
      for (const e of byVm.get(v.i) ?? []) {
        state = { ...state, status: e.status, powerState: e.power_state, cores: e.cores, memoryMib: e.memory_mib };
        const rate = rateOf(PRICES, state);
        if (rate !== periods.at(-1)!.rate) changes++;
        periods.push({ id: BigInt(periods.length), startsAt: hourStartUs + BigInt(e.at_us), rate });
      }
      const fresh = {
        meteredThrough: hourStartUs,
        monthStart: monthOf(hourStartUs),
        monthUsage: 0n,
        monthMaxRate: 0n,
        priorOwed: 0n,
        settled: 0n,
      };
      const want = chargeFor(fresh, periods, atUs, capHours).amount;
      out.vms++;
      out.total += want;
      out.ratePeriods += changes;
      if (v.exempt) out.waived += want;
      else if (want > 0n) out.transfers++;
      const settled = BigInt(v.settled);
      const waived = BigInt(v.waived);
      if (settled !== want || waived !== (v.exempt ? want : 0n)) {
        out.mismatches++;
        if (out.examples.length < 5) {
          out.examples.push(`VM ${v.id}: expected ${want}, settled ${settled} (waived ${waived})`);
        }
      }
    }
  }
  return out;
}
