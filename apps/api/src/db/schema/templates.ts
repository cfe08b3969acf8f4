import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { cloneModes, osIcons, templateVisibilities } from '@uni-manager/contracts';
import { servers } from './servers.js';

export const templates = pgTable(
  'templates',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull().unique(),
    description: text('description').notNull().default(''),
    osLabel: text('os_label').notNull(),
    osIcon: text('os_icon', { enum: osIcons }).notNull(),
    cores: integer('cores').notNull(),
    memoryMib: integer('memory_mib').notNull(),
    diskGib: integer('disk_gib').notNull(),
    minCores: integer('min_cores').notNull(),
    maxCores: integer('max_cores').notNull(),
    minMemoryMib: integer('min_memory_mib').notNull(),
    maxMemoryMib: integer('max_memory_mib').notNull(),
    maxDiskGib: integer('max_disk_gib').notNull(),
    cloudInit: boolean('cloud_init').notNull().default(false),
    /** Minor units per hour (see MINOR_UNITS_PER_CREDIT). */
    priceRunningPerHour: bigint('price_running_per_hour', { mode: 'number' }).notNull().default(0),
    priceStoppedPerHour: bigint('price_stopped_per_hour', { mode: 'number' }).notNull().default(0),
    /** Per unit above the default size, per hour: vCPU and GiB of memory while running, GiB of disk always. */
    pricePerCoreHour: bigint('price_per_core_hour', { mode: 'number' }).notNull().default(0),
    pricePerGibMemoryHour: bigint('price_per_gib_memory_hour', { mode: 'number' }).notNull().default(0),
    pricePerGibDiskHour: bigint('price_per_gib_disk_hour', { mode: 'number' }).notNull().default(0),
    visibility: text('visibility', { enum: templateVisibilities }).notNull().default('public'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      'templates_bounds_check',
      sql`${t.minCores} <= ${t.cores} and ${t.cores} <= ${t.maxCores}
      and ${t.minMemoryMib} <= ${t.memoryMib} and ${t.memoryMib} <= ${t.maxMemoryMib}
      and ${t.diskGib} <= ${t.maxDiskGib}`,
    ),
    check(
      'templates_price_check',
      sql`${t.priceRunningPerHour} >= 0 and ${t.priceStoppedPerHour} >= 0 and ${t.pricePerCoreHour} >= 0
      and ${t.pricePerGibMemoryHour} >= 0 and ${t.pricePerGibDiskHour} >= 0`,
    ),
  ],
);

/** Where a template can be cloned from: one Proxmox template VM on one node. */
export const templateSources = pgTable(
  'template_sources',
  {
    id: uuid('id').primaryKey(),
    templateId: uuid('template_id')
      .notNull()
      .references(() => templates.id, { onDelete: 'cascade' }),
    serverId: uuid('server_id')
      .notNull()
      .references(() => servers.id, { onDelete: 'cascade' }),
    node: text('node').notNull(),
    vmid: integer('vmid').notNull(),
    storage: text('storage'),
    cloneMode: text('clone_mode', { enum: cloneModes }).notNull(),
  },
  (t) => [
    unique('template_sources_node_unique').on(t.templateId, t.serverId, t.node),
    index('template_sources_template_id_idx').on(t.templateId),
    index('template_sources_server_id_idx').on(t.serverId),
  ],
);

export type TemplateRow = typeof templates.$inferSelect;
export type TemplateSourceRow = typeof templateSources.$inferSelect;
