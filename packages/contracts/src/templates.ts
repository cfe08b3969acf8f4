import { z } from 'zod';
import { idSchema, isoDateTime } from './common.js';
import { amountSchema } from './money.js';
import { unitPricesSchema } from './pricing.js';

export const osIcons = [
  'ubuntu',
  'debian',
  'fedora',
  'rocky',
  'alma',
  'centos',
  'arch',
  'opensuse',
  'freebsd',
  'windows',
  'linux',
  'generic',
] as const;
export const osIconSchema = z.enum(osIcons);
export type OsIcon = z.infer<typeof osIconSchema>;

export const templateVisibilities = ['public', 'admin', 'disabled'] as const;
export const templateVisibilitySchema = z
  .enum(templateVisibilities)
  .describe('public: every user; admin: administrators only; disabled: nobody can create from it');
export type TemplateVisibility = z.infer<typeof templateVisibilitySchema>;

export const cloneModes = ['full', 'linked'] as const;
export const cloneModeSchema = z.enum(cloneModes);
export type CloneMode = z.infer<typeof cloneModeSchema>;

/** A Proxmox VMID: 100 to 999999999. */
export const vmidSchema = z.number().int().min(100).max(999_999_999);
/** A Proxmox node or storage name. */
export const pveNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Letters, digits, dots, dashes and underscores');

export const LIMITS = {
  cores: { min: 1, max: 128 },
  memoryMib: { min: 256, max: 4 * 1024 * 1024 },
  diskGib: { min: 1, max: 64 * 1024 },
  /** Per hour, in minor units: a million credits an hour is more than anyone means. */
  price: { max: 1_000_000 * 10_000 },
} as const;

export const coresSchema = z.number().int().min(LIMITS.cores.min).max(LIMITS.cores.max);
export const memoryMibSchema = z
  .number()
  .int()
  .min(LIMITS.memoryMib.min)
  .max(LIMITS.memoryMib.max)
  .refine((v) => v % 128 === 0, 'Memory is set in steps of 128 MiB');
export const diskGibSchema = z.number().int().min(LIMITS.diskGib.min).max(LIMITS.diskGib.max);
const priceSchema = amountSchema.max(LIMITS.price.max);

export const templateSourceInputSchema = z.object({
  serverId: idSchema,
  node: pveNameSchema,
  vmid: vmidSchema.describe('VMID of the Proxmox template on that node'),
  storage: pveNameSchema.nullable().default(null).describe('Target storage for full clones; null keeps the source'),
  cloneMode: cloneModeSchema.default('linked'),
});
export type TemplateSourceInput = z.infer<typeof templateSourceInputSchema>;

export const templateSizeSchema = z.object({
  cores: coresSchema,
  memoryMib: memoryMibSchema,
  diskGib: diskGibSchema,
});
export type TemplateSize = z.infer<typeof templateSizeSchema>;

export const templateBoundsSchema = z.object({
  minCores: coresSchema,
  maxCores: coresSchema,
  minMemoryMib: memoryMibSchema,
  maxMemoryMib: memoryMibSchema,
  maxDiskGib: diskGibSchema.describe('Disks can only grow: the default size is also the minimum'),
});
export type TemplateBounds = z.infer<typeof templateBoundsSchema>;

const templateFields = z.object({
  name: z.string().trim().min(1).max(80),
  description: z.string().trim().max(1000).default(''),
  osLabel: z.string().trim().min(1).max(60).describe('e.g. "Ubuntu 24.04 LTS"'),
  osIcon: osIconSchema.default('linux'),
  defaults: templateSizeSchema,
  bounds: templateBoundsSchema,
  cloudInit: z.boolean().default(false),
  priceRunningPerHour: priceSchema.default(0).describe('Minor units per hour while running'),
  priceStoppedPerHour: priceSchema.default(0).describe('Minor units per hour while stopped (storage)'),
  unitPrices: unitPricesSchema.default({ perCorePerHour: 0, perGibMemoryPerHour: 0, perGibDiskPerHour: 0 }),
  visibility: templateVisibilitySchema.default('public'),
  sources: z.array(templateSourceInputSchema).min(1, 'Add at least one Proxmox template to clone from').max(32),
});

type BoundsCheckable = { defaults: TemplateSize; bounds: TemplateBounds; sources?: TemplateSourceInput[] };

/** Defaults lie within the bounds, and no node appears twice. */
function checkTemplate(t: BoundsCheckable, ctx: z.RefinementCtx) {
  const { defaults: d, bounds: b } = t;
  const issue = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (b.minCores > b.maxCores) issue(['bounds', 'maxCores'], 'The maximum is below the minimum');
  if (b.minMemoryMib > b.maxMemoryMib) issue(['bounds', 'maxMemoryMib'], 'The maximum is below the minimum');
  if (d.cores < b.minCores || d.cores > b.maxCores) issue(['defaults', 'cores'], 'Outside the allowed range');
  if (d.memoryMib < b.minMemoryMib || d.memoryMib > b.maxMemoryMib)
    issue(['defaults', 'memoryMib'], 'Outside the allowed range');
  if (d.diskGib > b.maxDiskGib) issue(['bounds', 'maxDiskGib'], 'The maximum is below the default disk size');
  const seen = new Set<string>();
  t.sources?.forEach((s, i) => {
    const key = `${s.serverId}/${s.node}`;
    if (seen.has(key)) issue(['sources', String(i), 'node'], 'This node already has a source');
    seen.add(key);
    if (s.cloneMode === 'linked' && s.storage)
      issue(['sources', String(i), 'storage'], 'Only full clones choose a storage');
  });
}

export const createTemplateBodySchema = templateFields.superRefine(checkTemplate);
export type CreateTemplateBody = z.infer<typeof createTemplateBodySchema>;

/** A full replacement of the template's settings (the form always sends them all). */
export const updateTemplateBodySchema = createTemplateBodySchema;
export type UpdateTemplateBody = CreateTemplateBody;

export const templateSourceSchema = z.object({
  id: idSchema,
  serverId: idSchema,
  serverName: z.string(),
  node: z.string(),
  vmid: z.number().int(),
  storage: z.string().nullable(),
  cloneMode: cloneModeSchema,
});
export type TemplateSource = z.infer<typeof templateSourceSchema>;

export const templateSchema = z
  .object({
    id: idSchema,
    name: z.string(),
    description: z.string(),
    osLabel: z.string(),
    osIcon: osIconSchema,
    defaults: templateSizeSchema,
    bounds: templateBoundsSchema,
    cloudInit: z.boolean(),
    priceRunningPerHour: amountSchema,
    priceStoppedPerHour: amountSchema,
    unitPrices: unitPricesSchema,
    visibility: templateVisibilitySchema,
    sources: z.array(templateSourceSchema),
    vmCount: z.number().int().nonnegative().describe('VMs created from it that still exist'),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Template' });
export type Template = z.infer<typeof templateSchema>;

/** What a user sees of a template: no Proxmox details. */
export const catalogTemplateSchema = templateSchema
  .pick({
    id: true,
    name: true,
    description: true,
    osLabel: true,
    osIcon: true,
    defaults: true,
    bounds: true,
    cloudInit: true,
    priceRunningPerHour: true,
    priceStoppedPerHour: true,
    unitPrices: true,
    visibility: true,
  })
  .extend({ available: z.boolean().describe('At least one of its servers can take a new VM now') })
  .meta({ id: 'CatalogTemplate' });
export type CatalogTemplate = z.infer<typeof catalogTemplateSchema>;

export const templateListSchema = z.object({ items: z.array(templateSchema) });
export const catalogListSchema = z.object({ items: z.array(catalogTemplateSchema) });

/** A template VM found on a Proxmox server: what the template form offers to pick from. */
export const proxmoxTemplateSchema = z
  .object({
    node: z.string(),
    vmid: z.number().int(),
    name: z.string(),
    /** Bytes of its boot disk, as Proxmox reports it. */
    maxdisk: z.number().nonnegative().optional(),
    /** Bytes of memory. */
    maxmem: z.number().nonnegative().optional(),
    maxcpu: z.number().nonnegative().optional(),
  })
  .meta({ id: 'ProxmoxTemplate' });
export type ProxmoxTemplate = z.infer<typeof proxmoxTemplateSchema>;

/** A storage of a node that can hold VM disks: a target for full clones. */
export const proxmoxStorageSchema = z.object({
  node: z.string(),
  storage: z.string(),
  shared: z.boolean(),
});
export type ProxmoxStorage = z.infer<typeof proxmoxStorageSchema>;

export const proxmoxTemplateListSchema = z.object({
  items: z.array(proxmoxTemplateSchema),
  storages: z.array(proxmoxStorageSchema),
});
export type ProxmoxTemplateList = z.infer<typeof proxmoxTemplateListSchema>;
