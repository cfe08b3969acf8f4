import type { TemplateSourceInput, TemplateVisibility } from '@uni-manager/contracts';
import { and, asc, count, eq, inArray, ne, notInArray, or } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import {
  serverNodes,
  servers,
  templateSources,
  templates,
  vms,
  type ServerRow,
  type ServerNodeRow,
  type TemplateRow,
  type TemplateSourceRow,
} from '../../db/schema/index.js';

/** A source with what decides whether a new VM can be placed there now. */
export interface SourceWithServer extends TemplateSourceRow {
  serverName: string;
  serverEnabled: boolean;
  serverMaintenance: boolean;
  serverHealth: ServerRow['health'];
  /** null when the monitor has not seen the node (yet). */
  nodeHealth: ServerNodeRow['health'] | null;
}

export type TemplateValues = Omit<TemplateRow, 'id' | 'createdAt' | 'updatedAt'>;

export async function listTemplates(db: Executor, visibilities?: TemplateVisibility[]): Promise<TemplateRow[]> {
  return db
    .select()
    .from(templates)
    .where(visibilities ? inArray(templates.visibility, visibilities) : undefined)
    .orderBy(asc(templates.name));
}

export async function getTemplate(db: Executor, id: string): Promise<TemplateRow | undefined> {
  const [row] = await db.select().from(templates).where(eq(templates.id, id)).limit(1);
  return row;
}

export async function lockTemplate(tx: Executor, id: string): Promise<TemplateRow | undefined> {
  const [row] = await tx.select().from(templates).where(eq(templates.id, id)).for('update').limit(1);
  return row;
}

export async function templateIdByName(db: Executor, name: string): Promise<string | undefined> {
  const [row] = await db.select({ id: templates.id }).from(templates).where(eq(templates.name, name)).limit(1);
  return row?.id;
}

export async function sourcesOf(db: Executor, templateIds: string[]): Promise<SourceWithServer[]> {
  if (!templateIds.length) return [];
  const rows = await db
    .select({
      source: templateSources,
      serverName: servers.name,
      serverEnabled: servers.enabled,
      serverMaintenance: servers.maintenance,
      serverHealth: servers.health,
      nodeHealth: serverNodes.health,
    })
    .from(templateSources)
    .innerJoin(servers, eq(servers.id, templateSources.serverId))
    .leftJoin(
      serverNodes,
      and(eq(serverNodes.serverId, templateSources.serverId), eq(serverNodes.node, templateSources.node)),
    )
    .where(inArray(templateSources.templateId, templateIds))
    .orderBy(asc(servers.name), asc(templateSources.node));
  return rows.map(({ source, ...rest }) => ({ ...source, ...rest }));
}

/** VMs made from each template that still exist (or are on their way). */
export async function vmCounts(db: Executor, templateIds: string[]): Promise<Map<string, number>> {
  if (!templateIds.length) return new Map();
  const rows = await db
    .select({ templateId: vms.templateId, n: count() })
    .from(vms)
    .where(and(inArray(vms.templateId, templateIds), ne(vms.status, 'deleted')))
    .groupBy(vms.templateId);
  return new Map(rows.map((r) => [r.templateId!, Number(r.n)]));
}

export async function serversByIds(db: Executor, ids: string[]): Promise<Map<string, ServerRow>> {
  if (!ids.length) return new Map();
  const rows = await db.select().from(servers).where(inArray(servers.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}

export async function insertTemplate(tx: Executor, values: TemplateRow): Promise<void> {
  await tx.insert(templates).values(values);
}

export async function updateTemplate(tx: Executor, id: string, values: TemplateValues & { updatedAt: Date }) {
  await tx.update(templates).set(values).where(eq(templates.id, id));
  // New prices apply to the template's VMs from this instant; the rate trigger records the change.
  // Their base size stays the one they were created with.
  await tx
    .update(vms)
    .set({
      priceRunningPerHour: values.priceRunningPerHour,
      priceStoppedPerHour: values.priceStoppedPerHour,
      pricePerCoreHour: values.pricePerCoreHour,
      pricePerGibMemoryHour: values.pricePerGibMemoryHour,
      pricePerGibDiskHour: values.pricePerGibDiskHour,
      updatedAt: values.updatedAt,
    })
    .where(
      and(
        eq(vms.templateId, id),
        notInArray(vms.status, ['deleted', 'failed']),
        or(
          ne(vms.priceRunningPerHour, values.priceRunningPerHour),
          ne(vms.priceStoppedPerHour, values.priceStoppedPerHour),
          ne(vms.pricePerCoreHour, values.pricePerCoreHour),
          ne(vms.pricePerGibMemoryHour, values.pricePerGibMemoryHour),
          ne(vms.pricePerGibDiskHour, values.pricePerGibDiskHour),
        ),
      ),
    );
}

export async function deleteTemplate(tx: Executor, id: string): Promise<void> {
  await tx.delete(templates).where(eq(templates.id, id));
}

/**
 * Makes the template's sources exactly `wanted`. A source keeps its id while
 * it stays on the same server and node, so history that names it stays true.
 */
export async function replaceSources(
  tx: Executor,
  templateId: string,
  wanted: TemplateSourceInput[],
  newId: () => string,
): Promise<void> {
  const current = await tx.select().from(templateSources).where(eq(templateSources.templateId, templateId));
  const key = (s: { serverId: string; node: string }) => `${s.serverId}/${s.node}`;
  const wantedKeys = new Set(wanted.map(key));
  const gone = current.filter((c) => !wantedKeys.has(key(c))).map((c) => c.id);
  if (gone.length) await tx.delete(templateSources).where(inArray(templateSources.id, gone));
  const byKey = new Map(current.map((c) => [key(c), c]));
  for (const s of wanted) {
    const values = { vmid: s.vmid, storage: s.storage, cloneMode: s.cloneMode };
    const existing = byKey.get(key(s));
    if (existing) await tx.update(templateSources).set(values).where(eq(templateSources.id, existing.id));
    else
      await tx
        .insert(templateSources)
        .values({ id: newId(), templateId, serverId: s.serverId, node: s.node, ...values });
  }
}

export async function activeVmCount(tx: Executor, templateId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(vms)
    .where(and(eq(vms.templateId, templateId), ne(vms.status, 'deleted')));
  return Number(row?.n ?? 0);
}
