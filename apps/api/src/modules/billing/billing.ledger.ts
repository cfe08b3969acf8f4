import { query } from '../../lib/sql.js';
import { createHash } from 'node:crypto';
import type { TransferKind } from '@uni-manager/contracts';
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { ledgerAccounts, ledgerTransfers, PLATFORM_ACCOUNTS } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';

export interface NewTransfer {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: number;
  kind: TransferKind;
  userId: string | null;
  vmId?: string | null;
  reversesId?: string | null;
  batchId?: string | null;
  actorId?: string | null;
  actorEmail?: string | null;
  reason?: string | null;
  externalRef?: string | null;
  periodStart?: Date | null;
  periodEnd?: Date | null;
}

/** A stable UUID from a name: how idempotency keys are derived (initial grant, batch member, payment). */
export function derivedId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  // Shaped as a version-4-looking UUID so it passes everywhere a UUID is expected.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function walletOf(tx: Executor, userId: string): Promise<{ id: string; balance: number }> {
  const [w] = await tx
    .select({
      id: ledgerAccounts.id,
      balance: sql<string>`${ledgerAccounts.creditsPosted} - ${ledgerAccounts.debitsPosted}`,
    })
    .from(ledgerAccounts)
    .where(eq(ledgerAccounts.userId, userId));
  if (!w) throw AppError.notFound('User');
  return { id: w.id, balance: Number(w.balance) };
}

/** Locks the wallet row, so a check of its balance holds until the transaction ends. */
export async function lockWallet(tx: Executor, userId: string): Promise<{ id: string; balance: number }> {
  const [w] = await tx
    .select({ id: ledgerAccounts.id, credits: ledgerAccounts.creditsPosted, debits: ledgerAccounts.debitsPosted })
    .from(ledgerAccounts)
    .where(eq(ledgerAccounts.userId, userId))
    .for('update');
  if (!w) throw AppError.notFound('User');
  return { id: w.id, balance: w.credits - w.debits };
}

/**
 * Posts one transfer and both accounts' totals, in the caller's transaction.
 * The id is the idempotency key: a second post of the same transfer is a
 * no-op (false); the same id with other terms is refused.
 */
export async function postTransfer(tx: Executor, t: NewTransfer, now: Date): Promise<boolean> {
  if (!Number.isSafeInteger(t.amount) || t.amount <= 0) throw new Error(`invalid transfer amount ${t.amount}`);
  const inserted = await tx
    .insert(ledgerTransfers)
    .values({ ...t, createdAt: now })
    .onConflictDoNothing({ target: ledgerTransfers.id })
    .returning({ id: ledgerTransfers.id });
  if (!inserted.length) {
    const [existing] = await tx.select().from(ledgerTransfers).where(eq(ledgerTransfers.id, t.id));
    if (
      !existing ||
      existing.amount !== t.amount ||
      existing.debitAccountId !== t.debitAccountId ||
      existing.creditAccountId !== t.creditAccountId
    ) {
      throw new AppError('CONFLICT', 'This idempotency key was already used for a different transfer');
    }
    return false;
  }
  await tx
    .update(ledgerAccounts)
    .set({ debitsPosted: sql`${ledgerAccounts.debitsPosted} + ${t.amount}` })
    .where(eq(ledgerAccounts.id, t.debitAccountId));
  await tx
    .update(ledgerAccounts)
    .set({ creditsPosted: sql`${ledgerAccounts.creditsPosted} + ${t.amount}` })
    .where(eq(ledgerAccounts.id, t.creditAccountId));
  return true;
}

export { PLATFORM_ACCOUNTS };

/**
 * What `billing verify` checks: each account's totals equal the sum of its
 * transfers; all balances sum to zero; no usage period is charged twice
 * (periods of one VM never overlap); every reversal mirrors what it reverses;
 * each meter's settled amount is what its usage transfers and waivers add up to.
 */
export async function verifyLedger(
  db: Executor,
): Promise<{ ok: boolean; accounts: number; transfers: number; violation: string | null }> {
  const count = async (q: ReturnType<typeof sql>) => Number((await query<{ n: string }>(db, q)).rows[0]!.n);
  const accounts = await count(sql`select count(*)::text as n from ledger_accounts`);
  const transfers = await count(sql`select count(*)::text as n from ledger_transfers`);
  const result = (violation: string | null) => ({ ok: violation === null, accounts, transfers, violation });

  // Sums grouped once, then compared: a per-account subquery goes quadratic on stale statistics.
  const totals = await query<{
    id: string;
    kind: string;
    user_id: string | null;
    d: string;
    c: string;
    sd: string;
    sc: string;
  }>(
    db,
    sql`
    with debits as (select debit_account_id as id, sum(amount) as s from ledger_transfers group by 1),
      credits as (select credit_account_id as id, sum(amount) as s from ledger_transfers group by 1)
    select a.id, a.kind, a.user_id, a.debits_posted::text as d, a.credits_posted::text as c,
      coalesce(d.s, 0)::text as sd, coalesce(c.s, 0)::text as sc
    from ledger_accounts a left join debits d on d.id = a.id left join credits c on c.id = a.id
    where a.debits_posted <> coalesce(d.s, 0) or a.credits_posted <> coalesce(c.s, 0)
    order by a.created_at, a.id limit 1`,
  );
  const bad = totals.rows[0];
  if (bad) {
    return result(
      `account ${bad.id} (${bad.kind}${bad.user_id ? ` of user ${bad.user_id}` : ''}) records debits ${bad.d} and credits ${bad.c}, but its transfers sum to debits ${bad.sd} and credits ${bad.sc}`,
    );
  }
  const sum = (
    await query<{ s: string }>(
      db,
      sql`select coalesce(sum(credits_posted - debits_posted), 0)::text as s from ledger_accounts`,
    )
  ).rows[0]!.s;
  if (sum !== '0') return result(`the balances of all accounts sum to ${sum}, not 0`);

  const overlap = await query<{ vm_id: string; id: string; prev: string }>(
    db,
    sql`
    select vm_id, id, prev from (
      select vm_id, id, period_start,
        lag(period_end) over (partition by vm_id order by period_start, period_end) as prev_end,
        lag(id) over (partition by vm_id order by period_start, period_end) as prev
      from ledger_transfers where kind = 'usage'
    ) x where prev_end > period_start limit 1`,
  );
  if (overlap.rows[0]) {
    const o = overlap.rows[0];
    return result(`VM ${o.vm_id} was charged twice for the same time: transfers ${o.prev} and ${o.id} overlap`);
  }

  const mirror = await query<{ id: string }>(
    db,
    sql`
    select r.id from ledger_transfers r join ledger_transfers o on o.id = r.reverses_id
    where r.amount <> o.amount or r.debit_account_id <> o.credit_account_id or r.credit_account_id <> o.debit_account_id
    limit 1`,
  );
  if (mirror.rows[0]) return result(`reversal ${mirror.rows[0].id} does not mirror the transfer it reverses`);

  const meters = await query<{ vm_id: string; settled: string; charged: string; waived: string }>(
    db,
    sql`
    select m.vm_id, m.settled::text as settled, m.waived::text as waived, coalesce(t.charged, 0)::text as charged
    from vm_meters m left join (
      select vm_id, sum(case when kind = 'usage' then amount else 0 end) as charged
      from ledger_transfers where kind = 'usage' group by vm_id
    ) t on t.vm_id = m.vm_id
    where m.settled <> coalesce(t.charged, 0) + m.waived
    limit 1`,
  );
  if (meters.rows[0]) {
    const m = meters.rows[0];
    return result(`VM ${m.vm_id} settled ${m.settled} but was charged ${m.charged} and waived ${m.waived}`);
  }
  return result(null);
}
