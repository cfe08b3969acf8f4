import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { notificationKinds, transferKinds } from '@uni-manager/contracts';
import { users } from './users.js';
import { vms } from './vms.js';

export const accountKinds = ['wallet', 'usage', 'grants', 'payments', 'adjustments'] as const;
export type AccountKind = (typeof accountKinds)[number];

/**
 * Double-entry accounts, after TigerBeetle's: each keeps the running totals of
 * the transfers that debited and credited it, updated in the transaction that
 * posts them. A wallet's balance is credits − debits; so is every platform
 * account's, and all balances together sum to zero. Every user has a wallet
 * (a trigger opens it with the account); the platform accounts have fixed ids.
 */
export const ledgerAccounts = pgTable(
  'ledger_accounts',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind', { enum: accountKinds }).notNull(),
    userId: uuid('user_id').references(() => users.id),
    debitsPosted: bigint('debits_posted', { mode: 'number' }).notNull().default(0),
    creditsPosted: bigint('credits_posted', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ledger_accounts_user_unique').on(t.userId),
    uniqueIndex('ledger_accounts_platform_unique')
      .on(t.kind)
      .where(sql`${t.userId} is null`),
    check('ledger_accounts_owner_check', sql`(${t.kind} = 'wallet') = (${t.userId} is not null)`),
    check('ledger_accounts_totals_check', sql`${t.debitsPosted} >= 0 and ${t.creditsPosted} >= 0`),
  ],
);

/** The platform's own accounts: fixed ids, created by the migration. */
export const PLATFORM_ACCOUNTS = {
  usage: '00000000-0000-4000-8000-000000000001',
  grants: '00000000-0000-4000-8000-000000000002',
  payments: '00000000-0000-4000-8000-000000000003',
  adjustments: '00000000-0000-4000-8000-000000000004',
} as const;

/**
 * One immutable movement of credits. The id is the idempotency key: posting
 * the same id twice posts once. The database refuses UPDATE, DELETE and
 * TRUNCATE; a mistake is undone by a reversal that names what it reverses.
 */
export const ledgerTransfers = pgTable(
  'ledger_transfers',
  {
    id: uuid('id').primaryKey(),
    debitAccountId: uuid('debit_account_id')
      .notNull()
      .references(() => ledgerAccounts.id),
    creditAccountId: uuid('credit_account_id')
      .notNull()
      .references(() => ledgerAccounts.id),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    kind: text('kind', { enum: transferKinds }).notNull(),
    /** The user whose wallet it moves: what their statement lists. */
    userId: uuid('user_id').references(() => users.id),
    vmId: uuid('vm_id').references(() => vms.id),
    periodStart: timestamp('period_start', { withTimezone: true }),
    periodEnd: timestamp('period_end', { withTimezone: true }),
    reversesId: uuid('reverses_id'),
    batchId: uuid('batch_id'),
    actorId: uuid('actor_id').references(() => users.id),
    actorEmail: text('actor_email'),
    reason: text('reason'),
    /** A payment provider's reference (a Stripe event or session), for payments and refunds. */
    externalRef: text('external_ref'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    check('ledger_transfers_amount_check', sql`${t.amount} > 0`),
    check('ledger_transfers_accounts_check', sql`${t.debitAccountId} <> ${t.creditAccountId}`),
    index('ledger_transfers_user_idx').on(t.userId, t.createdAt),
    index('ledger_transfers_vm_idx').on(t.vmId, t.createdAt),
    index('ledger_transfers_created_idx').on(t.createdAt),
    index('ledger_transfers_debit_idx').on(t.debitAccountId),
    index('ledger_transfers_credit_idx').on(t.creditAccountId),
    // Partial: a billing cycle's usage transfers have none of these, and skip the index work.
    index('ledger_transfers_batch_idx')
      .on(t.batchId)
      .where(sql`${t.batchId} is not null`),
    index('ledger_transfers_actor_idx')
      .on(t.actorId)
      .where(sql`${t.actorId} is not null`),
    /** A transfer is reversed at most once. */
    uniqueIndex('ledger_transfers_reverses_unique')
      .on(t.reversesId)
      .where(sql`${t.reversesId} is not null`),
  ],
);

/**
 * The hourly rate a VM was billed at from an instant on, in 1/1024 minor
 * units: written by a trigger whenever the VM's rate changes (state, size or
 * prices), never before the instant its meter has reached.
 */
export const vmRatePeriods = pgTable(
  'vm_rate_periods',
  {
    id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
    vmId: uuid('vm_id')
      .notNull()
      .references(() => vms.id, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    rateX1024: bigint('rate_x1024', { mode: 'number' }).notNull(),
  },
  (t) => [index('vm_rate_periods_vm_idx').on(t.vmId, t.startsAt, t.id)],
);

/**
 * How far each VM has been charged, and what it owes exactly. Amounts owed
 * are kept as exact numerators (minor units × 1024 × microseconds per hour),
 * so the fraction of a minor unit not yet charged is carried forward, never
 * lost or invented. Within a calendar month (UTC) the owed amount is capped
 * at MONTHLY_CAP_HOURS of the highest rate in force that month.
 */
export const vmMeters = pgTable(
  'vm_meters',
  {
    vmId: uuid('vm_id')
      .primaryKey()
      .references(() => vms.id, { onDelete: 'cascade' }),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    meteredThrough: timestamp('metered_through', { withTimezone: true }).notNull(),
    monthStart: timestamp('month_start', { withTimezone: true }).notNull(),
    /** Uncapped usage numerator within monthStart's month, up to meteredThrough. */
    monthUsage: numeric('month_usage').notNull().default('0'),
    monthMaxRate: bigint('month_max_rate', { mode: 'number' }).notNull().default(0),
    /** Capped usage numerators of the months before monthStart. */
    priorOwed: numeric('prior_owed').notNull().default('0'),
    /** Whole minor units accounted for: charged to the wallet, or waived for an exempt owner. */
    settled: bigint('settled', { mode: 'number' }).notNull().default(0),
    waived: bigint('waived', { mode: 'number' }).notNull().default(0),
  },
  // No index on metered_through: every meter is behind a cycle, and one would stop the
  // cycle's update of every row from being a HOT update (migration 0010 sets fillfactor 50).
  (t) => [index('vm_meters_owner_idx').on(t.ownerId)],
);

export const billingRuns = pgTable(
  'billing_runs',
  {
    id: uuid('id').primaryKey(),
    periodEnd: timestamp('period_end', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    durationMs: integer('duration_ms'),
    status: text('status', { enum: ['succeeded', 'failed'] }).notNull(),
    trigger: text('trigger', { enum: ['schedule', 'manual'] }).notNull(),
    vms: integer('vms').notNull().default(0),
    transfers: integer('transfers').notNull().default(0),
    amount: bigint('amount', { mode: 'number' }).notNull().default(0),
    error: text('error'),
  },
  (t) => [index('billing_runs_started_idx').on(t.startedAt)],
);

/** In-app notifications: the bell. The web words each kind from its data. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: notificationKinds }).notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.createdAt),
    index('notifications_unread_idx')
      .on(t.userId)
      .where(sql`${t.readAt} is null`),
  ],
);

export type LedgerTransferRow = typeof ledgerTransfers.$inferSelect;
export type NotificationRow = typeof notifications.$inferSelect;
export type BillingRunRow = typeof billingRuns.$inferSelect;
