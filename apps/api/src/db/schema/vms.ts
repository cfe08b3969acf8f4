import { sql } from 'drizzle-orm';
import {
  bigint,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { operationKinds, operationStatuses, operationSteps, powerStates, vmStatuses } from '@uni-manager/contracts';
import { servers } from './servers.js';
import { templates } from './templates.js';
import { users } from './users.js';

/*
 * The pricing formula of contracts' hourlyRatesX1024, in SQL (a generated
 * column cannot call a function of ours or read another generated column).
 */
const EXTRA_DISK = 'greatest(disk_gib - base_disk_gib, 0) * price_per_gib_disk_hour * 1024';
const RUNNING = `price_running_per_hour * 1024 + greatest(cores - base_cores, 0) * price_per_core_hour * 1024 + greatest(memory_mib - base_memory_mib, 0) * price_per_gib_memory_hour + ${EXTRA_DISK}`;
const STOPPED = `price_stopped_per_hour * 1024 + ${EXTRA_DISK}`;
const RUNNING_RATE = sql.raw(RUNNING);
const STOPPED_RATE = sql.raw(STOPPED);
/** Suspended VMs keep their memory on the node, so they pay the running rate; lost ones pay nothing. */
const CURRENT_RATE = sql.raw(
  `case when status in ('active', 'deleting') then case when power_state in ('running', 'paused') then ${RUNNING} else ${STOPPED} end else 0 end`,
);

/**
 * Stored with fillfactor 50 (migration 0013; drizzle does not model it):
 * reconciliation rewrites every row each cycle, and room on its page keeps
 * that update HOT, with no index work.
 */
export const vms = pgTable(
  'vms',
  {
    id: uuid('id').primaryKey(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    templateId: uuid('template_id').references(() => templates.id, { onDelete: 'set null' }),
    /** Set once placement chose them; a VM being created may not have them yet. */
    serverId: uuid('server_id').references(() => servers.id),
    node: text('node'),
    vmid: integer('vmid'),
    name: text('name').notNull(),
    cores: integer('cores').notNull(),
    memoryMib: integer('memory_mib').notNull(),
    diskGib: integer('disk_gib').notNull(),
    /** Changes Proxmox holds as pending until the next reboot. */
    pending: jsonb('pending').$type<{ cores?: number; memoryMib?: number } | null>(),
    status: text('status', { enum: vmStatuses }).notNull(),
    powerState: text('power_state', { enum: powerStates }).notNull().default('unknown'),
    /**
     * The template's price list, copied at creation (so a deleted template
     * leaves its VMs priced) and updated with it. The rates below are derived
     * from it by the database; a trigger records every change of rate.
     */
    priceRunningPerHour: bigint('price_running_per_hour', { mode: 'number' }).notNull().default(0),
    priceStoppedPerHour: bigint('price_stopped_per_hour', { mode: 'number' }).notNull().default(0),
    pricePerCoreHour: bigint('price_per_core_hour', { mode: 'number' }).notNull().default(0),
    pricePerGibMemoryHour: bigint('price_per_gib_memory_hour', { mode: 'number' }).notNull().default(0),
    pricePerGibDiskHour: bigint('price_per_gib_disk_hour', { mode: 'number' }).notNull().default(0),
    baseCores: integer('base_cores').notNull().default(0),
    baseMemoryMib: integer('base_memory_mib').notNull().default(0),
    baseDiskGib: integer('base_disk_gib').notNull().default(0),
    /** Per hour while running or suspended, in 1/1024 minor units (see contracts' pricing). */
    runningRateX1024: bigint('running_rate_x1024', { mode: 'number' }).generatedAlwaysAs(RUNNING_RATE).notNull(),
    stoppedRateX1024: bigint('stopped_rate_x1024', { mode: 'number' }).generatedAlwaysAs(STOPPED_RATE).notNull(),
    /** What it costs per hour in its present state: 0 unless it exists for its owner. */
    rateX1024: bigint('rate_x1024', { mode: 'number' }).generatedAlwaysAs(CURRENT_RATE).notNull(),
    cpu: doublePrecision('cpu'),
    memUsedBytes: doublePrecision('mem_used_bytes'),
    memTotalBytes: doublePrecision('mem_total_bytes'),
    uptimeSeconds: integer('uptime_seconds'),
    /** Proxmox's lock on the VM (backup, snapshot, migrate…) as last seen; operations wait for it. */
    pveLock: text('pve_lock'),
    addresses: jsonb('addresses').$type<string[]>().notNull().default([]),
    lastSyncedAt: timestamp('last_synced_at', { withTimezone: true }),
    failureMessage: text('failure_message'),
    lostAt: timestamp('lost_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [
    index('vms_owner_id_idx').on(t.ownerId, t.createdAt),
    index('vms_template_id_idx').on(t.templateId),
    index('vms_server_id_idx').on(t.serverId),
    index('vms_status_idx').on(t.status),
    /** A user's VM names are unique among the VMs they have, as hostnames in one place would be. */
    uniqueIndex('vms_owner_name_unique')
      .on(t.ownerId, t.name)
      .where(sql`${t.status} not in ('deleted', 'failed')`),
    /** Two records never claim the same Proxmox VM. */
    uniqueIndex('vms_server_vmid_unique')
      .on(t.serverId, t.vmid)
      .where(sql`${t.vmid} is not null and ${t.status} not in ('deleted', 'failed')`),
  ],
);

/**
 * A user's intent, durable: written with its audit entry, claimed by a worker
 * under a lease, followed to the end of its Proxmox task. The partial unique
 * index is the "one active operation per VM" rule, enforced by the database.
 */
export const vmOperations = pgTable(
  'vm_operations',
  {
    id: uuid('id').primaryKey(),
    vmId: uuid('vm_id')
      .notNull()
      .references(() => vms.id),
    actorId: uuid('actor_id').references(() => users.id),
    kind: text('kind', { enum: operationKinds }).notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status', { enum: operationStatuses }).notNull(),
    step: text('step', { enum: operationSteps }).notNull().default('queued'),
    progress: integer('progress'),
    /** The Proxmox task in flight, so a worker taking over follows it instead of starting another. */
    upid: text('upid'),
    taskNode: text('task_node'),
    /** Internal resumable state (placement, vmid, the step reached). */
    state: jsonb('state').$type<Record<string, unknown>>().notNull().default({}),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('vm_operations_vm_id_idx').on(t.vmId, t.createdAt),
    index('vm_operations_actor_id_idx').on(t.actorId),
    index('vm_operations_active_idx')
      .on(t.status, t.leaseUntil)
      .where(sql`${t.status} in ('queued', 'running')`),
    uniqueIndex('vm_operations_one_active_per_vm')
      .on(t.vmId)
      .where(sql`${t.status} in ('queued', 'running')`),
  ],
);

/** Every change of power state or status, with when: what billing charges from. */
export const vmStateHistory = pgTable(
  'vm_state_history',
  {
    id: bigint('id', { mode: 'bigint' }).primaryKey().generatedAlwaysAsIdentity(),
    vmId: uuid('vm_id')
      .notNull()
      .references(() => vms.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    status: text('status', { enum: vmStatuses }).notNull(),
    powerState: text('power_state', { enum: powerStates }).notNull(),
    source: text('source', { enum: ['operation', 'reconcile', 'admin'] }).notNull(),
  },
  (t) => [index('vm_state_history_vm_id_idx').on(t.vmId, t.at)],
);

/** Usage as reconciliation saw it, for the VM page's charts; kept 48 hours. */
export const vmSamples = pgTable(
  'vm_samples',
  {
    vmId: uuid('vm_id')
      .notNull()
      .references(() => vms.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    cpu: doublePrecision('cpu').notNull(),
    memUsedBytes: doublePrecision('mem_used_bytes').notNull(),
    memTotalBytes: doublePrecision('mem_total_bytes').notNull(),
  },
  (t) => [primaryKey({ columns: [t.vmId, t.at] }), index('vm_samples_at_idx').on(t.at)],
);

/** One-time console tickets: only the SHA-256 of the ticket is stored. */
export const consoleTickets = pgTable(
  'console_tickets',
  {
    tokenHash: text('token_hash').primaryKey(),
    vmId: uuid('vm_id')
      .notNull()
      .references(() => vms.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('console_tickets_vm_id_idx').on(t.vmId), index('console_tickets_user_id_idx').on(t.userId)],
);

export type VmRow = typeof vms.$inferSelect;
export type VmOperationRow = typeof vmOperations.$inferSelect;
