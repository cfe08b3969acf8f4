import {
  bigint,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { servers } from './servers.js';

/**
 * One row per check: of the server as a whole (node = '') and of each node.
 * Raw samples are kept 48 hours; older ones live on as hourly aggregates.
 */
export const healthSamples = pgTable(
  'health_samples',
  {
    id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
    serverId: uuid('server_id')
      .notNull()
      .references(() => servers.id, { onDelete: 'cascade' }),
    node: text('node').notNull(),
    sampledAt: timestamp('sampled_at', { withTimezone: true }).notNull(),
    up: integer('up').notNull(),
    latencyMs: doublePrecision('latency_ms'),
    cpu: doublePrecision('cpu'),
    memUsed: doublePrecision('mem_used'),
    memTotal: doublePrecision('mem_total'),
    diskUsed: doublePrecision('disk_used'),
    diskTotal: doublePrecision('disk_total'),
    load1: doublePrecision('load1'),
    vmsRunning: integer('vms_running'),
  },
  (t) => [
    index('health_samples_server_id_sampled_at_idx').on(t.serverId, t.sampledAt),
    index('health_samples_sampled_at_idx').on(t.sampledAt),
  ],
);

export const healthHourly = pgTable(
  'health_hourly',
  {
    serverId: uuid('server_id')
      .notNull()
      .references(() => servers.id, { onDelete: 'cascade' }),
    node: text('node').notNull(),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    samples: integer('samples').notNull(),
    /** Fraction of the hour's checks that answered. */
    up: doublePrecision('up').notNull(),
    latencyMs: doublePrecision('latency_ms'),
    cpu: doublePrecision('cpu'),
    cpuMax: doublePrecision('cpu_max'),
    memUsed: doublePrecision('mem_used'),
    memTotal: doublePrecision('mem_total'),
    diskUsed: doublePrecision('disk_used'),
    diskTotal: doublePrecision('disk_total'),
    load1: doublePrecision('load1'),
    vmsRunning: doublePrecision('vms_running'),
  },
  (t) => [
    primaryKey({ columns: [t.serverId, t.node, t.hour] }),
    index('health_hourly_server_id_idx').on(t.serverId),
    index('health_hourly_hour_idx').on(t.hour),
  ],
);
