import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { ledgerTransfers } from './billing.js';
import { users } from './users.js';

/** What users can buy through Stripe Checkout (ENABLE_PAYMENTS): credits for a price. */
export const creditPackages = pgTable(
  'credit_packages',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    /** Minor units of credit the package grants. */
    credits: bigint('credits', { mode: 'number' }).notNull(),
    /** In the currency's smallest unit, as Stripe counts it. */
    priceCents: integer('price_cents').notNull(),
    currency: text('currency').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    check('credit_packages_credits_check', sql`${t.credits} > 0`),
    check('credit_packages_price_check', sql`${t.priceCents} > 0`),
    check('credit_packages_currency_check', sql`${t.currency} ~ '^[a-z]{3}$'`),
  ],
);

export const paymentStatuses = ['open', 'paid', 'expired', 'failed'] as const;

/**
 * One Stripe Checkout Session and what became of it: who pays, for how many
 * credits (as they were when the user checked out, whatever the package says
 * now), the transfer that granted them, and how much of it has been refunded.
 * A refund finds its payment by the payment intent, and reverses a share of
 * `credits` proportional to the cents refunded.
 */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    packageId: uuid('package_id').references(() => creditPackages.id, { onDelete: 'set null' }),
    packageName: text('package_name').notNull(),
    checkoutSessionId: text('checkout_session_id').notNull().unique(),
    paymentIntentId: text('payment_intent_id').unique(),
    credits: bigint('credits', { mode: 'number' }).notNull(),
    /** The price at checkout; once paid, what Stripe says was paid. */
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull(),
    status: text('status', { enum: paymentStatuses }).notNull(),
    transferId: uuid('transfer_id').references(() => ledgerTransfers.id),
    /** The most Stripe has told us was refunded, and the credits taken back for it. Only ever grow. */
    refundedCents: integer('refunded_cents').notNull().default(0),
    refundedCredits: bigint('refunded_credits', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('payments_user_idx').on(t.userId, t.createdAt),
    index('payments_package_idx').on(t.packageId),
    index('payments_transfer_idx').on(t.transferId),
    check('payments_refunded_check', sql`${t.refundedCents} between 0 and ${t.amountCents}`),
    check('payments_refunded_credits_check', sql`${t.refundedCredits} between 0 and ${t.credits}`),
  ],
);

/** Each Stripe refund counted against a payment, once, whichever event told us of it first. */
export const paymentRefunds = pgTable(
  'payment_refunds',
  {
    refundId: text('refund_id').primaryKey(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    amountCents: integer('amount_cents').notNull(),
    transferId: uuid('transfer_id').references(() => ledgerTransfers.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('payment_refunds_payment_idx').on(t.paymentId), index('payment_refunds_transfer_idx').on(t.transferId)],
);

/**
 * Every Stripe event we acted on, by Stripe's id: inserted in the transaction
 * that applies the event, so a redelivery (or two at once) finds it and does
 * nothing.
 */
export const paymentEvents = pgTable(
  'payment_events',
  {
    stripeEventId: text('stripe_event_id').primaryKey(),
    type: text('type').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    /** What it did: granted, refunded, recorded, ignored. */
    outcome: text('outcome').notNull(),
    paymentId: uuid('payment_id').references(() => payments.id),
    transferId: uuid('transfer_id').references(() => ledgerTransfers.id),
    checkoutSessionId: text('checkout_session_id'),
    paymentIntentId: text('payment_intent_id'),
  },
  (t) => [
    index('payment_events_payment_idx').on(t.paymentId),
    index('payment_events_transfer_idx').on(t.transferId),
    index('payment_events_received_idx').on(t.receivedAt),
  ],
);

export type CreditPackageRow = typeof creditPackages.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;
