import { pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One row per (job, period). Whichever instance inserts it first runs that
 * period; every other instance sees the conflict and skips, so a periodic job
 * runs once however many workers are up.
 */
export const scheduledRuns = pgTable(
  'scheduled_runs',
  {
    job: text('job').notNull(),
    period: timestamp('period', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    status: text('status', { enum: ['running', 'succeeded', 'failed'] }).notNull(),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.job, t.period] })],
);
