import { randomUUID } from 'node:crypto';
import type {
  CatalogTemplate,
  CreateTemplateBody,
  ProxmoxTemplateList,
  Role,
  Template,
  TemplateVisibility,
  UpdateTemplateBody,
} from '@uni-manager/contracts';
import type { Db, Tx } from '../../db/client.js';
import type { TemplateRow, TemplateSourceRow } from '../../db/schema/index.js';
import type { Clock } from '../../lib/clock.js';
import type { Actor, RequestMeta } from '../../lib/context.js';
import { isUniqueViolation } from '../../lib/db-errors.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { appendAudit } from '../audit/audit.repo.js';
import type { ServersService } from '../servers/servers.service.js';
import { sourceAvailable, toCatalogTemplate, toTemplate } from './templates.mapper.js';
import * as repo from './templates.repo.js';
import { checkSources, listProxmoxTemplates, type CheckMode } from './templates.sources.js';

export interface TemplatesServiceDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  servers: ServersService;
}

/** What the VM service needs to create a VM from a template. */
export interface TemplateForCreate {
  template: TemplateRow;
  sources: Array<TemplateSourceRow & { serverName: string; available: boolean }>;
}

/** Who may see what in the catalog: users the public templates, admins theirs too; nobody the disabled ones. */
const visibleTo = (role: Role): TemplateVisibility[] => (role === 'admin' ? ['public', 'admin'] : ['public']);

const nameTaken = () => AppError.field('NAME_TAKEN', 'name', 'A template with this name already exists');

function valuesOf(body: CreateTemplateBody): repo.TemplateValues {
  return {
    name: body.name,
    description: body.description,
    osLabel: body.osLabel,
    osIcon: body.osIcon,
    cores: body.defaults.cores,
    memoryMib: body.defaults.memoryMib,
    diskGib: body.defaults.diskGib,
    minCores: body.bounds.minCores,
    maxCores: body.bounds.maxCores,
    minMemoryMib: body.bounds.minMemoryMib,
    maxMemoryMib: body.bounds.maxMemoryMib,
    maxDiskGib: body.bounds.maxDiskGib,
    cloudInit: body.cloudInit,
    priceRunningPerHour: body.priceRunningPerHour,
    priceStoppedPerHour: body.priceStoppedPerHour,
    pricePerCoreHour: body.unitPrices.perCorePerHour,
    pricePerGibMemoryHour: body.unitPrices.perGibMemoryPerHour,
    pricePerGibDiskHour: body.unitPrices.perGibDiskPerHour,
    visibility: body.visibility,
  };
}

/** What an audit entry records of a template: its settings, without timestamps. */
function describe(t: Template) {
  return {
    name: t.name,
    description: t.description,
    osLabel: t.osLabel,
    osIcon: t.osIcon,
    defaults: t.defaults,
    bounds: t.bounds,
    cloudInit: t.cloudInit,
    priceRunningPerHour: t.priceRunningPerHour,
    priceStoppedPerHour: t.priceStoppedPerHour,
    unitPrices: t.unitPrices,
    visibility: t.visibility,
    sources: t.sources.map((s) => ({
      serverId: s.serverId,
      serverName: s.serverName,
      node: s.node,
      vmid: s.vmid,
      storage: s.storage,
      cloneMode: s.cloneMode,
    })),
  };
}

export function createTemplatesService(deps: TemplatesServiceDeps) {
  const { db, clock, servers } = deps;

  async function load(ids: string[], rows: TemplateRow[]): Promise<Template[]> {
    const [sources, counts] = await Promise.all([repo.sourcesOf(db, ids), repo.vmCounts(db, ids)]);
    return rows.map((r) => toTemplate(r, sources, counts.get(r.id) ?? 0));
  }

  async function get(id: string): Promise<Template> {
    const row = await repo.getTemplate(db, id);
    if (!row) throw AppError.notFound('Template');
    return (await load([id], [row]))[0]!;
  }

  /** The template as seen inside a transaction, for the audit entry's before and after. */
  async function loadIn(tx: Tx, id: string): Promise<Template[]> {
    const row = await repo.getTemplate(tx, id);
    if (!row) return [];
    // One after the other: a transaction is one connection.
    const sources = await repo.sourcesOf(tx, [id]);
    const counts = await repo.vmCounts(tx, [id]);
    return [toTemplate(row, sources, counts.get(id) ?? 0)];
  }

  /** Refuses a body whose sources Proxmox does not confirm, with a field error for each. */
  async function requireValidSources(body: CreateTemplateBody, modes: CheckMode[]): Promise<void> {
    const fields = await checkSources(servers, body.sources, modes, body.defaults.diskGib);
    if (!fields.length) return;
    const more = fields.length > 1 ? ` (and ${fields.length - 1} more problem${fields.length > 2 ? 's' : ''})` : '';
    throw new AppError('TEMPLATE_SOURCE_INVALID', `${fields[0]!.message}${more}`, { fields });
  }

  return {
    get,

    async list(): Promise<Template[]> {
      const rows = await repo.listTemplates(db);
      return load(
        rows.map((r) => r.id),
        rows,
      );
    },

    async catalog(actor: Pick<Actor, 'role'>): Promise<CatalogTemplate[]> {
      const rows = await repo.listTemplates(db, visibleTo(actor.role));
      const sources = await repo.sourcesOf(
        db,
        rows.map((r) => r.id),
      );
      return rows.map((r) => toCatalogTemplate(r, sources));
    },

    async catalogItem(actor: Pick<Actor, 'role'>, id: string): Promise<CatalogTemplate> {
      const row = await repo.getTemplate(db, id);
      if (!row || !visibleTo(actor.role).includes(row.visibility)) throw AppError.notFound('Template');
      return toCatalogTemplate(row, await repo.sourcesOf(db, [id]));
    },

    /**
     * The template a VM is about to be created from, with the sources it can
     * be cloned from. A template the actor cannot see is not found; a disabled
     * one is there but refuses new VMs.
     */
    async getForCreate(actor: Pick<Actor, 'userId' | 'role'>, templateId: string): Promise<TemplateForCreate> {
      const template = await repo.getTemplate(db, templateId);
      if (!template || (template.visibility === 'admin' && actor.role !== 'admin')) throw AppError.notFound('Template');
      if (template.visibility === 'disabled')
        throw new AppError('TEMPLATE_UNAVAILABLE', `The template "${template.name}" is disabled`);
      const sources = await repo.sourcesOf(db, [templateId]);
      return {
        template,
        sources: sources.map((s) => ({
          id: s.id,
          templateId: s.templateId,
          serverId: s.serverId,
          node: s.node,
          vmid: s.vmid,
          storage: s.storage,
          cloneMode: s.cloneMode,
          serverName: s.serverName,
          available: sourceAvailable(s),
        })),
      };
    },

    async proxmoxTemplates(serverId: string): Promise<ProxmoxTemplateList> {
      return listProxmoxTemplates(servers, serverId);
    },

    /** `actor` is null when an operator adds templates from the command line. */
    async create(actor: Actor | null, body: CreateTemplateBody, meta: RequestMeta): Promise<Template> {
      if (await repo.templateIdByName(db, body.name)) throw nameTaken();
      await requireValidSources(
        body,
        body.sources.map(() => 'full'),
      );
      const id = randomUUID();
      const now = clock.now();
      try {
        await db.transaction(async (tx) => {
          await repo.insertTemplate(tx, { id, ...valuesOf(body), createdAt: now, updatedAt: now });
          await repo.replaceSources(tx, id, body.sources, randomUUID);
          const [after] = await loadIn(tx, id);
          await appendAudit(
            tx,
            {
              action: 'template.created',
              actorId: actor?.userId ?? null,
              actorEmail: actor?.email ?? null,
              targetType: 'template',
              targetId: id,
              details: { after: describe(after!) },
              ...meta,
            },
            now,
          );
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw nameTaken();
        throw e;
      }
      return get(id);
    },

    async update(actor: Actor, id: string, body: UpdateTemplateBody, meta: RequestMeta): Promise<Template> {
      const before = await get(id);
      const clash = await repo.templateIdByName(db, body.name);
      if (clash && clash !== id) throw nameTaken();
      // Only what the admin changes must be confirmed by Proxmox now; the rest was when it was saved.
      const diskShrunk = body.defaults.diskGib < before.defaults.diskGib;
      const modes: CheckMode[] = body.sources.map((s) => {
        const saved = before.sources.find((b) => b.serverId === s.serverId && b.node === s.node);
        const unchanged =
          saved && saved.vmid === s.vmid && saved.storage === s.storage && saved.cloneMode === s.cloneMode;
        return !unchanged ? 'full' : diskShrunk ? 'disk' : 'none';
      });
      await requireValidSources(body, modes);
      const now = clock.now();
      try {
        await db.transaction(async (tx) => {
          const locked = await repo.lockTemplate(tx, id);
          if (!locked) throw AppError.notFound('Template');
          const [current] = await loadIn(tx, id);
          await repo.updateTemplate(tx, id, { ...valuesOf(body), updatedAt: now });
          await repo.replaceSources(tx, id, body.sources, randomUUID);
          const [after] = await loadIn(tx, id);
          await appendAudit(
            tx,
            {
              action: 'template.updated',
              actorId: actor.userId,
              actorEmail: actor.email,
              targetType: 'template',
              targetId: id,
              details: { before: describe(current!), after: describe(after!) },
              ...meta,
            },
            now,
          );
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw nameTaken();
        throw e;
      }
      return get(id);
    },

    async remove(actor: Actor, id: string, meta: RequestMeta): Promise<void> {
      await db.transaction(async (tx) => {
        // The row lock also holds off a VM being inserted with this template meanwhile (its foreign key check waits).
        const row = await repo.lockTemplate(tx, id);
        if (!row) throw AppError.notFound('Template');
        const inUse = await repo.activeVmCount(tx, id);
        if (inUse > 0)
          throw new AppError(
            'TEMPLATE_IN_USE',
            `${inUse} virtual machine${inUse === 1 ? ' was' : 's were'} created from "${row.name}" and still exist${inUse === 1 ? 's' : ''}: disable the template instead, so that no new VM is created from it`,
            { vmCount: inUse },
          );
        const [before] = await loadIn(tx, id);
        await repo.deleteTemplate(tx, id);
        await appendAudit(
          tx,
          {
            action: 'template.deleted',
            actorId: actor.userId,
            actorEmail: actor.email,
            targetType: 'template',
            targetId: id,
            details: { before: describe(before!) },
            ...meta,
          },
          clock.now(),
        );
      });
    },
  };
}
export type TemplatesService = ReturnType<typeof createTemplatesService>;
