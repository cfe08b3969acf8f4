import type { HealthIssue } from '@uni-manager/contracts';
import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

export const servers = pgTable('servers', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** https://host:port, without the /api2/json path. */
  url: text('url').notNull(),
  tokenId: text('token_id').notNull(),
  /** Sealed by the secret box, bound to this row's id; never returned by the API. */
  tokenSecretSealed: text('token_secret_sealed').notNull(),
  tlsFingerprint: text('tls_fingerprint'),
  tlsCaPem: text('tls_ca_pem'),
  enabled: boolean('enabled').notNull().default(true),
  maintenance: boolean('maintenance').notNull().default(false),
  /**
   * The last VMID handed out on this server. Allocation bumps it in one
   * statement, so parallel creates never wait on each other or on Proxmox
   * for a number; null until the first create asks Proxmox where free ones start.
   */
  lastVmid: integer('last_vmid'),
  health: text('health', { enum: ['healthy', 'degraded', 'offline', 'unknown'] })
    .notNull()
    .default('unknown'),
  healthReason: text('health_reason'),
  healthIssues: jsonb('health_issues').$type<HealthIssue[]>().notNull().default([]),
  pveVersion: text('pve_version'),
  lastCheckedAt: timestamp('last_checked_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The last known state of each node of a server, as the monitor saw it. */
export const serverNodes = pgTable(
  'server_nodes',
  {
    serverId: uuid('server_id')
      .notNull()
      .references(() => servers.id, { onDelete: 'cascade' }),
    node: text('node').notNull(),
    status: text('status', { enum: ['online', 'offline', 'unknown'] }).notNull(),
    health: text('health', { enum: ['healthy', 'degraded', 'offline', 'unknown'] })
      .notNull()
      .default('unknown'),
    cpu: doublePrecision('cpu'),
    maxcpu: doublePrecision('maxcpu'),
    memUsed: doublePrecision('mem_used'),
    memTotal: doublePrecision('mem_total'),
    uptime: doublePrecision('uptime'),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.serverId, t.node] }), index('server_nodes_server_id_idx').on(t.serverId)],
);

export type ServerRow = typeof servers.$inferSelect;
export type ServerNodeRow = typeof serverNodes.$inferSelect;
