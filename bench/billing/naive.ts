import { sql } from 'drizzle-orm';
import type { Db } from '../../apps/api/src/db/client.js';
import { PLATFORM_ACCOUNTS } from '../../apps/api/src/db/schema/index.js';
import { query } from '../../apps/api/src/lib/sql.js';
import { derivedId } from '../../apps/api/src/modules/billing/billing.ledger.js';
import { enterBilling } from '../../apps/api/src/modules/billing/billing.meter.js';
import { chargeFor, integerOf, isoMicros } from './model.js';

export interface NaiveResult {
  /** VMs whose meter is behind the cycle's end: what the loop would have to visit. */
  due: number;
  /** The VMs visited, with what each was charged (or waived, for an exempt owner). */
  charged: Map<string, { amount: bigint; exempt: boolean }>;
  listMs: number;
  loopMs: number;
  roundTrips: number;
}

/**
 * The straightforward implementation, for comparison: list the VMs due, then
 * for each one read its meter, read its rate periods, compute the charge in
 * JavaScript, insert its transfer, update its meter and update its owner's
 * wallet: five round trips per VM (three when nothing is charged). It runs in one
 * transaction under the billing lock, as the set-based cycle does, on `sample`
 * of the VMs due (spread over all of them), and is rolled back: the data stays
 * as seeded for the cycle measured next.
 */
export async function naiveCycle(db: Db, at: Date, atUs: bigint, capHours: number, sample: number) {
  const T = sql`${at.toISOString()}::timestamptz`;
  let result: NaiveResult | undefined;
  await db
    .transaction(async (tx) => {
      await enterBilling(tx, true);
      let t = performance.now();
      const due = await query<{ vm_id: string }>(
        tx,
        sql`select vm_id from vm_meters where metered_through < ${T} order by vm_id`,
      );
      const listMs = performance.now() - t;
      const step = Math.max(1, due.rows.length / Math.min(sample, due.rows.length));
      const picked: string[] = [];
      for (let k = 0; Math.floor(k) < due.rows.length && picked.length < sample; k += step) {
        picked.push(due.rows[Math.floor(k)]!.vm_id);
      }

      const charged = new Map<string, { amount: bigint; exempt: boolean }>();
      let roundTrips = 1;
      let total = 0n;
      t = performance.now();
      for (const vmId of picked) {
        const meter = await query<{
          owner_id: string;
          wallet_id: string;
          exempt: boolean;
          through_us: string;
          month_start_us: string;
          month_usage: string;
          month_max_rate: string;
          prior_owed: string;
          settled: string;
        }>(
          tx,
          sql`
          select m.owner_id, w.id as wallet_id, u.billing_exempt as exempt,
            (extract(epoch from m.metered_through) * 1000000)::bigint::text as through_us,
            (extract(epoch from m.month_start) * 1000000)::bigint::text as month_start_us,
            m.month_usage::text, m.month_max_rate::text, m.prior_owed::text, m.settled::text
          from vm_meters m join users u on u.id = m.owner_id join ledger_accounts w on w.user_id = m.owner_id
          where m.vm_id = ${vmId}::uuid`,
        );
        const m = meter.rows[0]!;
        const periods = await query<{ id: string; at_us: string; rate: string }>(
          tx,
          sql`
          select id::text, (extract(epoch from starts_at) * 1000000)::bigint::text as at_us, rate_x1024::text as rate
          from vm_rate_periods where vm_id = ${vmId}::uuid and starts_at < ${T} order by starts_at, id`,
        );
        roundTrips += 2;
        const c = chargeFor(
          {
            meteredThrough: BigInt(m.through_us),
            monthStart: BigInt(m.month_start_us),
            monthUsage: integerOf(m.month_usage),
            monthMaxRate: BigInt(m.month_max_rate),
            priorOwed: integerOf(m.prior_owed),
            settled: BigInt(m.settled),
          },
          periods.rows.map((p) => ({ id: BigInt(p.id), startsAt: BigInt(p.at_us), rate: BigInt(p.rate) })),
          atUs,
          capHours,
        );
        const from = sql`${isoMicros(c.periodStart)}::timestamptz`;
        const amount = c.amount > 0n ? c.amount : 0n;
        if (amount > 0n && !m.exempt) {
          await tx.execute(sql`
            insert into ledger_transfers
              (id, debit_account_id, credit_account_id, amount, kind, user_id, vm_id, period_start, period_end, created_at)
            values (${derivedId('usage', vmId, isoMicros(c.periodStart), at.toISOString())}::uuid,
              ${m.wallet_id}::uuid, ${PLATFORM_ACCOUNTS.usage}::uuid, ${amount.toString()}::bigint, 'usage',
              ${m.owner_id}::uuid, ${vmId}::uuid, ${from}, ${T}, ${T})`);
          await tx.execute(sql`
            update ledger_accounts set debits_posted = debits_posted + ${amount.toString()}::bigint
            where id = ${m.wallet_id}::uuid`);
          roundTrips += 2;
          total += amount;
        }
        await tx.execute(sql`
          update vm_meters set metered_through = ${T},
            month_start = ${isoMicros(c.monthStart)}::timestamptz,
            month_usage = ${c.monthUsage.toString()}::numeric,
            month_max_rate = ${c.monthMaxRate.toString()}::bigint,
            prior_owed = ${c.priorOwed.toString()}::numeric,
            settled = settled + ${amount.toString()}::bigint,
            waived = waived + ${(m.exempt ? amount : 0n).toString()}::bigint
          where vm_id = ${vmId}::uuid`);
        roundTrips += 1;
        charged.set(vmId, { amount, exempt: m.exempt });
      }
      if (total > 0n) {
        await tx.execute(sql`
          update ledger_accounts set credits_posted = credits_posted + ${total.toString()}::bigint
          where id = ${PLATFORM_ACCOUNTS.usage}::uuid`);
        roundTrips += 1;
      }
      result = { due: due.rows.length, charged, listMs, loopMs: performance.now() - t, roundTrips };
      tx.rollback();
    })
    .catch((e: unknown) => {
      if (!result) throw e;
    });
  return result!;
}
