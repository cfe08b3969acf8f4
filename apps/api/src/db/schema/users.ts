import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    /** Stored lower-cased and trimmed, so the unique index is the uniqueness rule. */
    email: text('email').notNull().unique(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['user', 'admin'] })
      .notNull()
      .default('user'),
    state: text('state', { enum: ['active', 'suspended', 'banned'] })
      .notNull()
      .default('active'),
    stateReason: text('state_reason'),
    stateChangedAt: timestamp('state_changed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
    /** Minor units the wallet may go below zero before the user's VMs are shut down. */
    creditLimit: bigint('credit_limit', { mode: 'number' }).notNull().default(0),
    /** Staff whose VMs are metered but never charged. */
    billingExempt: boolean('billing_exempt').notNull().default(false),
    /** The balance alert last sent (low, exhausted), so each is sent once per episode. */
    balanceAlert: text('balance_alert', { enum: ['low', 'exhausted'] }),
    balanceAlertAt: timestamp('balance_alert_at', { withTimezone: true }),
  },
  (t) => [
    check('users_role_check', sql`${t.role} in ('user', 'admin')`),
    check('users_state_check', sql`${t.state} in ('active', 'suspended', 'banned')`),
    index('users_created_at_idx').on(t.createdAt),
    index('users_role_state_idx').on(t.role, t.state),
    check('users_credit_limit_check', sql`${t.creditLimit} >= 0`),
  ],
);

export type UserRow = typeof users.$inferSelect;
