import { eq, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { z } from 'zod';
import type { Db, Executor } from '../../db/client.js';
import { paymentEvents, paymentRefunds, payments, users, type PaymentRow } from '../../db/schema/index.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { query } from '../../lib/sql.js';
import { appendAudit } from '../audit/audit.repo.js';
import { derivedId, lockWallet, postTransfer, PLATFORM_ACCOUNTS } from '../billing/billing.ledger.js';
import { notify } from '../notifications/notifications.service.js';
import * as repo from './payments.repo.js';

const SYSTEM = { actorId: null, actorEmail: 'system (stripe)' } as const;

/** What applying one event did; kept on its payment_events row. */
export type EventOutcome =
  | 'granted' // credits were granted for a paid session
  | 'refunded' // credits were taken back for a refund
  | 'recorded' // the payment's state was updated, no credits moved
  | 'ignored' // not an event, or not a payment, of ours
  | 'duplicate'; // delivered before: nothing done

export interface EventResult {
  outcome: EventOutcome;
  paymentId?: string | null;
  transferId?: string | null;
  checkoutSessionId?: string | null;
  paymentIntentId?: string | null;
}

/** What our checkout put in the session's metadata; used when the session has no row here. */
const sessionMetadataSchema = z.object({
  userId: z.uuid(),
  paymentId: z.uuid().optional(),
  packageId: z.uuid().optional(),
  packageName: z.string().max(200).optional(),
  credits: z
    .string()
    .regex(/^[1-9]\d{0,15}$/)
    .transform(Number)
    .pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)),
});

/**
 * The fields of Stripe's objects this code reads, and nothing else: an event
 * is signed by Stripe, but a shape we did not expect must be a clear 400
 * (Stripe retries it, and the log says why), never a TypeError.
 */
const ref = z
  .union([z.string().min(1), z.looseObject({ id: z.string().min(1) })])
  .nullish()
  .transform((v) => (typeof v === 'string' ? v : (v?.id ?? null)));
const cents = z.number().int().nonnegative().max(2_147_483_647);
const sessionShape = z.looseObject({
  id: z.string().min(1),
  mode: z.string().nullish(),
  payment_status: z.string().nullish(),
  client_reference_id: z.string().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  amount_total: cents.nullish(),
  currency: z.string().nullish(),
  payment_intent: ref,
});
const refundShape = z.looseObject({
  id: z.string().min(1),
  amount: cents,
  status: z.string().nullish(),
  payment_intent: ref,
  charge: ref,
});
const chargeShape = z.looseObject({
  id: z.string().min(1),
  payment_intent: ref,
  amount_refunded: cents,
  refunds: z.looseObject({ data: z.array(refundShape) }).nullish(),
});
type Session = z.infer<typeof sessionShape>;
type Refund = z.infer<typeof refundShape>;
type Charge = z.infer<typeof chargeShape>;

const envelopeShape = z.looseObject({ id: z.string().min(1).max(255), type: z.string().min(1).max(255) });

function read<T extends z.ZodType>(shape: T, event: Stripe.Event): z.infer<T> {
  const r = shape.safeParse(event.data?.object);
  if (r.success) return r.data;
  const where = r.error.issues[0]?.path.join('.') || 'object';
  throw new AppError('MALFORMED_REQUEST', `The ${event.type} event ${event.id} has an unexpected data.object.${where}`);
}

/** The share of a payment's credits that `cents` of its price stands for: exact for a full refund, rounded down otherwise. */
export function creditsFor(credits: number, cents: number, amountCents: number): number {
  if (cents >= amountCents) return credits;
  return Number((BigInt(credits) * BigInt(cents)) / BigInt(amountCents));
}

function formatMoney(cents: number, currency: string): string {
  return `${(cents / 100).toFixed(2)} ${currency.toUpperCase()}`;
}

/**
 * Applies Stripe's events to the ledger. Each event is applied in one
 * transaction that starts by recording its id, so a redelivery, or two
 * deliveries at once, apply it once; the payment row is locked while an event
 * changes it, so events about one payment are applied one after another.
 */
export function createWebhookApplier(deps: { db: Db; clock: Clock; logger: Logger }) {
  const { db, clock, logger: log } = deps;

  async function apply(event: Stripe.Event): Promise<EventResult> {
    if (!envelopeShape.safeParse(event).success) throw new AppError('MALFORMED_REQUEST', 'The event has no id or type');
    const now = clock.now();
    return db.transaction(async (tx) => {
      const fresh = await tx
        .insert(paymentEvents)
        .values({ stripeEventId: event.id, type: event.type, receivedAt: now, outcome: 'received' })
        .onConflictDoNothing({ target: paymentEvents.stripeEventId })
        .returning({ id: paymentEvents.stripeEventId });
      if (!fresh.length) return { outcome: 'duplicate' };
      const result = await dispatch(tx, event, now);
      await tx
        .update(paymentEvents)
        .set({
          outcome: result.outcome,
          paymentId: result.paymentId ?? null,
          transferId: result.transferId ?? null,
          checkoutSessionId: result.checkoutSessionId ?? null,
          paymentIntentId: result.paymentIntentId ?? null,
        })
        .where(eq(paymentEvents.stripeEventId, event.id));
      return result;
    });
  }

  function dispatch(tx: Executor, event: Stripe.Event, now: Date): Promise<EventResult> {
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded':
        return sessionCompleted(tx, read(sessionShape, event), now);
      case 'checkout.session.async_payment_failed':
        return sessionClosed(tx, read(sessionShape, event), 'failed', now);
      case 'checkout.session.expired':
        return sessionClosed(tx, read(sessionShape, event), 'expired', now);
      case 'charge.refunded':
        return chargeRefunded(tx, read(chargeShape, event), now);
      case 'refund.created':
      case 'refund.updated':
      case 'charge.refund.updated':
        return refundChanged(tx, read(refundShape, event), now);
      default:
        return Promise.resolve({ outcome: 'ignored' });
    }
  }

  /**
   * The payment row of a session, locked. A session our checkout created but
   * could not record (the database failed after Stripe answered) is recorded
   * now from the metadata we gave it.
   */
  async function paymentOfSession(tx: Executor, s: Session, now: Date): Promise<PaymentRow | null> {
    const existing = await repo.lockPaymentBySession(tx, s.id);
    if (existing) return existing;
    const meta = sessionMetadataSchema.safeParse(s.metadata ?? {});
    if (s.mode !== 'payment' || !meta.success || s.client_reference_id !== meta.data.userId) return null;
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, meta.data.userId));
    if (!user) {
      log.error(
        { sessionId: s.id, userId: meta.data.userId },
        'stripe: a paid session names a user who does not exist',
      );
      return null;
    }
    const pkg = meta.data.packageId ? await repo.getPackage(tx, meta.data.packageId) : undefined;
    await tx
      .insert(payments)
      .values({
        id: meta.data.paymentId ?? derivedId('payment', s.id),
        userId: meta.data.userId,
        packageId: pkg?.id ?? null,
        packageName: meta.data.packageName ?? pkg?.name ?? 'Credits',
        checkoutSessionId: s.id,
        credits: meta.data.credits,
        amountCents: s.amount_total ?? 0,
        currency: s.currency ?? 'usd',
        status: 'open',
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing();
    return (await repo.lockPaymentBySession(tx, s.id)) ?? null;
  }

  async function sessionCompleted(tx: Executor, s: Session, now: Date): Promise<EventResult> {
    const paymentIntentId = s.payment_intent;
    const base = { checkoutSessionId: s.id, paymentIntentId };
    const p = await paymentOfSession(tx, s, now);
    if (!p) {
      log.info({ sessionId: s.id }, 'stripe: a completed session that is not one of our checkouts; ignored');
      return { ...base, outcome: 'ignored' };
    }
    // A delayed method (a bank debit) completes the session unpaid; async_payment_succeeded follows.
    if (s.payment_status !== 'paid') {
      if (paymentIntentId && !p.paymentIntentId)
        await tx.update(payments).set({ paymentIntentId, updatedAt: now }).where(eq(payments.id, p.id));
      return { ...base, paymentId: p.id, outcome: 'recorded' };
    }
    // Granted in the transaction that marked it paid: another event about it changes nothing.
    if (p.status === 'paid') return { ...base, paymentId: p.id, outcome: 'recorded' };
    const paid = s.amount_total ?? p.amountCents;
    if (paid !== p.amountCents || (s.currency && s.currency !== p.currency)) {
      log.warn(
        { sessionId: s.id, expected: p.amountCents, paid, currency: s.currency },
        'stripe: a session was paid a different amount than its package price; the credits granted are those bought',
      );
    }
    // The wallet first, then the payments account (in postTransfer): the order a refund takes them in too.
    const wallet = await lockWallet(tx, p.userId);
    const transferId = derivedId('stripe-session', s.id);
    const posted = await postTransfer(
      tx,
      {
        id: transferId,
        debitAccountId: PLATFORM_ACCOUNTS.payments,
        creditAccountId: wallet.id,
        amount: p.credits,
        kind: 'payment',
        userId: p.userId,
        externalRef: s.id,
        reason: `Bought "${p.packageName}" for ${formatMoney(paid, s.currency ?? p.currency)}`,
      },
      now,
    );
    await tx
      .update(payments)
      .set({
        status: 'paid',
        paymentIntentId: p.paymentIntentId ?? paymentIntentId,
        amountCents: paid,
        transferId,
        paidAt: p.paidAt ?? now,
        updatedAt: now,
      })
      .where(eq(payments.id, p.id));
    if (!posted) return { ...base, paymentId: p.id, outcome: 'recorded' };
    const balance = wallet.balance + p.credits;
    await notify(
      tx,
      p.userId,
      'payment_received',
      { amount: p.credits, package: p.packageName, priceCents: paid, currency: p.currency, balance },
      now,
    );
    await appendAudit(
      tx,
      {
        ...SYSTEM,
        action: 'billing.payment_received',
        targetType: 'user',
        targetId: p.userId,
        details: {
          transferId,
          paymentId: p.id,
          checkoutSessionId: s.id,
          paymentIntentId,
          package: p.packageName,
          credits: p.credits,
          amountCents: paid,
          currency: p.currency,
          before: { balance: wallet.balance },
          after: { balance },
        },
      },
      now,
    );
    return { ...base, paymentId: p.id, transferId, outcome: 'granted' };
  }

  async function sessionClosed(
    tx: Executor,
    s: Session,
    status: 'failed' | 'expired',
    now: Date,
  ): Promise<EventResult> {
    const base = { checkoutSessionId: s.id, paymentIntentId: s.payment_intent };
    const p = await repo.lockPaymentBySession(tx, s.id);
    if (!p) return { ...base, outcome: 'ignored' };
    if (p.status === 'open') await tx.update(payments).set({ status, updatedAt: now }).where(eq(payments.id, p.id));
    return { ...base, paymentId: p.id, outcome: 'recorded' };
  }

  async function chargeRefunded(tx: Executor, c: Charge, now: Date): Promise<EventResult> {
    const paymentIntentId = c.payment_intent;
    const p = paymentIntentId ? await repo.lockPaymentByIntent(tx, paymentIntentId) : undefined;
    if (!p) return unknownPayment(paymentIntentId, c.id);
    // Older API versions list the refunds; from 2022-11-15 on only the total is sent.
    const named = (c.refunds?.data ?? []).filter((r) => r.status === 'succeeded' || r.status === 'pending');
    return refund(tx, p, { refunds: named, cumulativeCents: c.amount_refunded, chargeId: c.id }, now);
  }

  async function refundChanged(tx: Executor, r: Refund, now: Date): Promise<EventResult> {
    const paymentIntentId = r.payment_intent;
    const p = paymentIntentId ? await repo.lockPaymentByIntent(tx, paymentIntentId) : undefined;
    if (!p) return unknownPayment(paymentIntentId, r.charge);
    if (r.status !== 'succeeded' && r.status !== 'pending') {
      const [counted] = await tx.select().from(paymentRefunds).where(eq(paymentRefunds.refundId, r.id));
      if (counted && (r.status === 'failed' || r.status === 'canceled')) {
        // Its credits were taken back when it was created; give them back by hand if the customer keeps the money.
        log.warn(
          { refundId: r.id, paymentId: p.id, status: r.status },
          'stripe: a refund whose credits were taken back has failed; an administrator may grant them again',
        );
      }
      return { paymentId: p.id, paymentIntentId, outcome: 'recorded' };
    }
    return refund(tx, p, { refunds: [r], cumulativeCents: 0, chargeId: r.charge ?? p.id }, now);
  }

  function unknownPayment(paymentIntentId: string | null, chargeId: string | null): EventResult {
    log.warn(
      { paymentIntentId, chargeId },
      'stripe: a refund of a payment that is not one of our checkouts (or not paid yet); ignored',
    );
    return { paymentIntentId, outcome: 'ignored' };
  }

  /**
   * Takes back the credits of what has been refunded so far, once. Refund
   * events name each refund; charge.refunded gives the running total: both
   * are lower bounds of what Stripe has refunded, so the payment's refunded
   * amount only moves up to the largest of them, and the credits taken back
   * are always the share of that amount. Every delivery, in any order,
   * converges to the same total, and none takes back anything twice.
   */
  async function refund(
    tx: Executor,
    p: PaymentRow,
    src: { refunds: Refund[]; cumulativeCents: number; chargeId: string },
    now: Date,
  ): Promise<EventResult> {
    const base = { paymentId: p.id, paymentIntentId: p.paymentIntentId };
    if (p.status !== 'paid' || !p.transferId || p.amountCents <= 0) {
      log.warn({ paymentId: p.id, status: p.status }, 'stripe: a refund of a payment that granted nothing; ignored');
      return { ...base, outcome: 'ignored' };
    }
    const newlyNamed: string[] = [];
    for (const r of src.refunds) {
      if (await repo.recordRefund(tx, { refundId: r.id, paymentId: p.id, amountCents: r.amount }, now))
        newlyNamed.push(r.id);
    }
    const known = Math.max(p.refundedCents, src.cumulativeCents, await repo.refundedByRefunds(tx, p.id));
    const target = Math.min(known, p.amountCents);
    if (target <= p.refundedCents) return { ...base, outcome: 'recorded' };

    const creditsTarget = creditsFor(p.credits, target, p.amountCents);
    const take = creditsTarget - p.refundedCredits;
    await tx
      .update(payments)
      .set({ refundedCents: target, refundedCredits: creditsTarget, updatedAt: now })
      .where(eq(payments.id, p.id));
    // An administrator who already reversed the payment took its credits back then.
    const reversed = await query<{ id: string }>(
      tx,
      sql`select id from ledger_transfers where reverses_id = ${p.transferId}::uuid`,
    );
    if (take <= 0 || reversed.rows.length) return { ...base, outcome: 'recorded' };

    // The refund's own id when an event named it; else the charge and the running total it reached.
    const refundId = newlyNamed.at(-1);
    const transferId = refundId
      ? derivedId('stripe-refund', refundId)
      : derivedId('stripe-refund', src.chargeId, String(target));
    const wallet = await lockWallet(tx, p.userId);
    // Never refused: credits already spent leave the wallet below zero, a debt the ledger shows.
    await postTransfer(
      tx,
      {
        id: transferId,
        debitAccountId: wallet.id,
        creditAccountId: PLATFORM_ACCOUNTS.payments,
        amount: take,
        kind: 'refund',
        userId: p.userId,
        externalRef: refundId ?? src.chargeId,
        reason: `Refund of "${p.packageName}": ${formatMoney(target - p.refundedCents, p.currency)}`,
      },
      now,
    );
    if (refundId) await tx.update(paymentRefunds).set({ transferId }).where(eq(paymentRefunds.refundId, refundId));
    const balance = wallet.balance - take;
    const refundedCents = target - p.refundedCents;
    await notify(
      tx,
      p.userId,
      'payment_refunded',
      { amount: take, package: p.packageName, refundedCents, currency: p.currency, balance },
      now,
    );
    await appendAudit(
      tx,
      {
        ...SYSTEM,
        action: 'billing.payment_refunded',
        targetType: 'user',
        targetId: p.userId,
        details: {
          transferId,
          paymentId: p.id,
          paymentIntentId: p.paymentIntentId,
          refundIds: newlyNamed,
          package: p.packageName,
          credits: take,
          refundedCents,
          totalRefundedCents: target,
          amountCents: p.amountCents,
          currency: p.currency,
          before: { balance: wallet.balance },
          after: { balance },
          ...(balance < 0 ? { debt: -balance } : {}),
        },
      },
      now,
    );
    return { ...base, transferId, outcome: 'refunded' };
  }

  return { apply };
}
export type WebhookApplier = ReturnType<typeof createWebhookApplier>;
