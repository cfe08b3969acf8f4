import { query } from '../../lib/sql.js';
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { PLATFORM_ACCOUNTS } from '../../db/schema/index.js';

/**
 * Metering, set-based: a handful of statements for every VM at once, never a
 * loop of per-VM round trips.
 *
 * A VM's rate history (vm_rate_periods) is a step function of time. Owed
 * amounts are integrals of it, kept exact as numerators in
 * rate_x1024 × microseconds; dividing by OWED_DENOMINATOR gives minor units.
 * A cycle charges floor(total owed) − what was already settled, so the
 * fraction of a minor unit left over is carried to the next cycle: nothing is
 * lost or invented over any number of cycles.
 */
export const MICROS_PER_HOUR = 3_600_000_000n;
export const OWED_DENOMINATOR = 1024n * MICROS_PER_HOUR;

/** Serialises billing cycles across instances; rate changes take it shared (migration 0008). */
export const BILLING_LOCK = 727_003;

export interface MeterScope {
  /** Charge only this owner's VMs (a settlement before their exemption changes). */
  ownerId?: string;
}

/**
 * Fills the temporary table billing_charges with what a cycle ending at `at`
 * charges each VM whose meter is behind `at`. Read-only otherwise: the live
 * balance check uses it as it is. The caller runs it inside a transaction
 * (the table is dropped at commit) with the time zone set to UTC.
 */
export async function computeCharges(tx: Executor, at: Date, capHours: number, scope: MeterScope = {}) {
  const T = sql`${at.toISOString()}::timestamptz`;
  const owner: SQL = scope.ownerId ? sql`and owner_id = ${scope.ownerId}::uuid` : sql``;
  await tx.execute(sql`
    create temporary table if not exists billing_charges (
      vm_id uuid primary key,
      owner_id uuid not null,
      period_start timestamptz not null,
      month_start timestamptz not null,
      month_usage numeric not null,
      month_max_rate bigint not null,
      prior_owed numeric not null,
      amount bigint not null,
      exempt boolean not null
    ) on commit drop`);
  await tx.execute(sql`truncate billing_charges`);
  await tx.execute(sql`
    insert into billing_charges
    with m as (
      select vm_id, owner_id, metered_through, month_start, month_usage, month_max_rate, prior_owed, settled
      from vm_meters where metered_through < ${T} ${owner}
    ),
    -- The rate in force when the meter stopped, then every change since, up to the cycle's end.
    starts as (
      select m.vm_id, m.metered_through as a, p.rate_x1024 as rate, 0::bigint as seq
      from m cross join lateral (
        select rate_x1024 from vm_rate_periods r
        where r.vm_id = m.vm_id and r.starts_at <= m.metered_through
        order by r.starts_at desc, r.id desc limit 1
      ) p
      union all
      select r.vm_id, r.starts_at, r.rate_x1024, r.id
      from vm_rate_periods r join m on m.vm_id = r.vm_id
      where r.starts_at > m.metered_through and r.starts_at < ${T}
    ),
    segments as (
      select vm_id, a, coalesce(lead(a) over (partition by vm_id order by a, seq), ${T}) as b, rate from starts
    ),
    -- Split at month boundaries (UTC), where the cap resets.
    pieces as (
      select s.vm_id, mo as month, s.rate,
        (extract(epoch from (least(s.b, mo + interval '1 month') - greatest(s.a, mo))) * 1000000)::numeric as us
      from segments s
      cross join lateral generate_series(
        date_trunc('month', s.a), date_trunc('month', s.b - interval '1 microsecond'), interval '1 month') mo
      where s.b > s.a
    ),
    months as (
      select vm_id, month, sum(usage) as usage, max(rate) as max_rate from (
        select vm_id, month, rate * us as usage, rate from pieces where us > 0
        union all
        select vm_id, month_start, month_usage, month_max_rate from m
      ) x group by vm_id, month
    ),
    capped as (
      select vm_id, month, usage, max_rate,
        case when ${capHours}::int > 0
          then least(usage, max_rate::numeric * ${capHours}::int * ${MICROS_PER_HOUR.toString()}::numeric)
          else usage end as owed,
        max(month) over (partition by vm_id) as current_month
      from months
    ),
    totals as (
      select vm_id,
        max(current_month) as month_start,
        coalesce(sum(owed) filter (where month < current_month), 0) as prior_add,
        coalesce(sum(usage) filter (where month = current_month), 0) as month_usage,
        coalesce(max(max_rate) filter (where month = current_month), 0) as month_max_rate,
        coalesce(sum(owed) filter (where month = current_month), 0) as month_owed
      from capped group by vm_id
    )
    select m.vm_id, m.owner_id, m.metered_through, t.month_start, t.month_usage, t.month_max_rate,
      m.prior_owed + t.prior_add,
      floor((m.prior_owed + t.prior_add + t.month_owed) / ${OWED_DENOMINATOR.toString()}::numeric)::bigint - m.settled,
      u.billing_exempt
    from m join totals t on t.vm_id = m.vm_id join users u on u.id = m.owner_id`);
}

export interface CycleResult {
  vms: number;
  transfers: number;
  amount: number;
  waived: number;
}

/**
 * Charges every VM up to `at`, in the caller's transaction, which must hold
 * BILLING_LOCK. One transfer per VM per cycle, its id derived from the VM and
 * the period it covers: run again for the same period it is the same id, and
 * the meter has moved past it anyway.
 */
export async function chargeUpTo(
  tx: Executor,
  at: Date,
  capHours: number,
  scope: MeterScope = {},
): Promise<CycleResult> {
  await computeCharges(tx, at, capHours, scope);
  const T = sql`${at.toISOString()}::timestamptz`;
  const inserted = await query<{ n: string; amount: string | null }>(
    tx,
    sql`
    with ins as (
      insert into ledger_transfers
        (id, debit_account_id, credit_account_id, amount, kind, user_id, vm_id, period_start, period_end, created_at)
      -- The id is derived from the VM and the period, shaped as a version-4 UUID (md5 computed once).
      select overlay(overlay(md5('usage:' || c.vm_id || ':' || c.period_start::text || ':' || ${T}::text)
          placing '4' from 13) placing '8' from 17)::uuid,
        w.id, ${PLATFORM_ACCOUNTS.usage}::uuid, c.amount, 'usage', c.owner_id, c.vm_id, c.period_start, ${T}, ${T}
      from billing_charges c join ledger_accounts w on w.user_id = c.owner_id
      where c.amount > 0 and not c.exempt
      on conflict (id) do nothing
      returning amount
    )
    select count(*)::text as n, sum(amount)::text as amount from ins`,
  );
  const expected = await query<{ n: string; amount: string | null; vms: string; waived: string | null }>(
    tx,
    sql`
    select count(*) filter (where amount > 0 and not exempt)::text as n,
      sum(amount) filter (where not exempt)::text as amount,
      count(*)::text as vms,
      sum(amount) filter (where exempt)::text as waived
    from billing_charges`,
  );
  const got = inserted.rows[0]!;
  const want = expected.rows[0]!;
  if (got.n !== want.n) {
    // Only possible if a period was charged and its meter not moved: refuse to post anything.
    throw new Error(`billing: ${want.n} charges computed but ${got.n} posted; nothing was charged`);
  }
  await tx.execute(sql`
    update vm_meters v set
      metered_through = ${T},
      month_start = c.month_start,
      month_usage = c.month_usage,
      month_max_rate = c.month_max_rate,
      prior_owed = c.prior_owed,
      settled = v.settled + c.amount,
      waived = v.waived + case when c.exempt then c.amount else 0 end
    from billing_charges c where c.vm_id = v.vm_id`);
  await tx.execute(sql`
    update ledger_accounts w set debits_posted = w.debits_posted + s.amount
    from (select owner_id, sum(amount) as amount from billing_charges where amount > 0 and not exempt group by owner_id) s
    where w.user_id = s.owner_id`);
  const amount = Number(got.amount ?? 0);
  if (amount > 0) {
    await tx.execute(sql`
      update ledger_accounts set credits_posted = credits_posted + ${amount}
      where id = ${PLATFORM_ACCOUNTS.usage}::uuid`);
  }
  return { vms: Number(want.vms), transfers: Number(got.n), amount, waived: Number(want.waived ?? 0) };
}

/**
 * The first statement of a transaction that may change a VM's rate (its
 * state, size or prices). The rate trigger takes the billing lock shared
 * anyway, but only once the row is locked; a cycle holding the lock
 * exclusively and waiting on that row would then deadlock with it. Taken
 * first, before any row lock, the order is the cycle's: lock, then rows.
 */
export async function enterRateChange(tx: Executor) {
  await tx.execute(sql`select pg_advisory_xact_lock_shared(${BILLING_LOCK})`);
}

/** The transaction preamble every metering step needs. */
export async function enterBilling(tx: Executor, exclusive: boolean) {
  await tx.execute(sql`set local time zone 'UTC'`);
  // The planner guesses a thousand months per segment and compiles the query; and the
  // sorts of 100,000 meters spill to disk at the default work_mem (bench/README.md).
  await tx.execute(sql`set local jit = off`);
  await tx.execute(sql`set local work_mem = '64MB'`);
  if (exclusive) await tx.execute(sql`select pg_advisory_xact_lock(${BILLING_LOCK})`);
}
