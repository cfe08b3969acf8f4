import type { CreditPackage } from '@uni-manager/contracts';
import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import {
  creditPackages,
  paymentRefunds,
  payments,
  type CreditPackageRow,
  type PaymentRow,
} from '../../db/schema/index.js';

export function toCreditPackage(r: CreditPackageRow): CreditPackage {
  return {
    id: r.id,
    name: r.name,
    credits: r.credits,
    priceCents: r.priceCents,
    currency: r.currency,
    active: r.active,
    createdAt: r.createdAt.toISOString(),
  };
}

/** Cheapest first: the order a user compares them in. */
export async function listPackages(db: Executor, opts: { activeOnly: boolean }): Promise<CreditPackageRow[]> {
  return db
    .select()
    .from(creditPackages)
    .where(opts.activeOnly ? eq(creditPackages.active, true) : undefined)
    .orderBy(asc(creditPackages.priceCents), asc(creditPackages.name), asc(creditPackages.id));
}

export async function getPackage(db: Executor, id: string, opts: { lock?: boolean } = {}) {
  const q = db.select().from(creditPackages).where(eq(creditPackages.id, id));
  const [row] = await (opts.lock ? q.for('update') : q);
  return row;
}

/** A payment, locked until the transaction ends: its events are applied one at a time. */
export async function lockPaymentBySession(tx: Executor, sessionId: string): Promise<PaymentRow | undefined> {
  const [row] = await tx.select().from(payments).where(eq(payments.checkoutSessionId, sessionId)).for('update');
  return row;
}

export async function lockPaymentByIntent(tx: Executor, paymentIntentId: string): Promise<PaymentRow | undefined> {
  const [row] = await tx.select().from(payments).where(eq(payments.paymentIntentId, paymentIntentId)).for('update');
  return row;
}

/** Records a refund against a payment; false when it was already counted. */
export async function recordRefund(
  tx: Executor,
  r: { refundId: string; paymentId: string; amountCents: number },
  now: Date,
): Promise<boolean> {
  const inserted = await tx
    .insert(paymentRefunds)
    .values({ ...r, createdAt: now })
    .onConflictDoNothing({ target: paymentRefunds.refundId })
    .returning({ id: paymentRefunds.refundId });
  return inserted.length > 0;
}

/** What the refunds Stripe has named add up to, for one payment. */
export async function refundedByRefunds(tx: Executor, paymentId: string): Promise<number> {
  const [r] = await tx
    .select({ sum: sql<string>`coalesce(sum(${paymentRefunds.amountCents}), 0)::text` })
    .from(paymentRefunds)
    .where(eq(paymentRefunds.paymentId, paymentId));
  return Number(r?.sum ?? 0);
}
