import { sql } from 'drizzle-orm';
import { bigint, check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * Append-only, hash-chained. The database itself rejects UPDATE, DELETE and
 * TRUNCATE (see the audit_append_only and audit_sealer migrations);
 * retention deletes through the one purge path that sets the session flag
 * the trigger checks.
 *
 * Writers insert rows unsealed (seq, prev_hash and hash null) inside their
 * own transaction, without waiting on one another. The sealer, one at a
 * time across instances, gives committed rows their position in the chain
 * and their hash; that single update of a row is the only one the trigger
 * lets through, and it may not touch what the hash covers.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull(),
    // No foreign key: the log must outlive and not constrain what it describes.
    actorId: uuid('actor_id'),
    actorEmail: text('actor_email'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
    /** The row's position in the chain, from 1, without gaps until a purge cuts the oldest. */
    seq: bigint('seq', { mode: 'bigint' }),
    prevHash: text('prev_hash'),
    hash: text('hash').unique(),
  },
  (t) => [
    uniqueIndex('audit_log_seq_unique').on(t.seq),
    // What the sealer reads each pass: small, since rows are sealed within a second or two.
    index('audit_log_unsealed_idx')
      .on(t.id)
      .where(sql`${t.seq} is null`),
    check(
      'audit_log_sealed_whole',
      sql`(${t.seq} is null and ${t.prevHash} is null and ${t.hash} is null) or (${t.seq} is not null and ${t.prevHash} is not null and ${t.hash} is not null)`,
    ),
    index('audit_log_occurred_at_idx').on(t.occurredAt),
    index('audit_log_actor_id_idx').on(t.actorId),
    index('audit_log_target_idx').on(t.targetType, t.targetId),
    index('audit_log_action_idx').on(t.action),
  ],
);

export type AuditRow = typeof auditLog.$inferSelect;
