import type { CatalogTemplate, CreateVmBody } from '@uni-manager/contracts';
import type { Formatters } from '@/lib/i18n/format';
import type { Translate } from '@/lib/i18n/translate';
import { boundsOf } from '../size-bounds';
import { sizeError } from '../size-field';
import { formatCores, formatDisk, formatMemory } from '../vm-format';
import { sshKeyLines, sshKeysError, vmNameError } from '../vm-name';

export type WizardStep = 'template' | 'configure' | 'access' | 'review';

export interface Draft {
  templateId: string | null;
  name: string;
  cores: number;
  memoryMib: number;
  diskGib: number;
  sshKeys: string;
  password: string;
}

export type DraftField = Exclude<keyof Draft, 'templateId'> | 'templateId';
export type DraftErrors = Partial<Record<DraftField, string>>;

export const emptyDraft: Draft = {
  templateId: null,
  name: '',
  cores: 1,
  memoryMib: 1024,
  diskGib: 10,
  sshKeys: '',
  password: '',
};

/** Choosing a template starts from its default size; the name and access settings are kept. */
export function withTemplate(draft: Draft, template: CatalogTemplate): Draft {
  return { ...draft, templateId: template.id, ...template.defaults };
}

/** Every step the wizard shows, numbered the same whichever template is chosen. */
export const wizardSteps: readonly WizardStep[] = ['template', 'configure', 'access', 'review'];

/** The access step only matters to cloud-init templates (keys and a password are only passed to them). */
export function isSkipped(step: WizardStep, template: CatalogTemplate | undefined): boolean {
  return step === 'access' && template !== undefined && !template.cloudInit;
}

/** The steps the user goes through: the access step is passed over for other templates. */
export function stepsFor(template: CatalogTemplate | undefined): WizardStep[] {
  return wizardSteps.filter((s) => !isSkipped(s, template));
}

/** Which step holds a field: where an error from the API is shown. */
export function stepOfField(field: DraftField): WizardStep {
  if (field === 'templateId') return 'template';
  if (field === 'sshKeys' || field === 'password') return 'access';
  return 'configure';
}

/** The API names the keys `sshPublicKeys` (and each one `sshPublicKeys.2`); the form has one box. */
export function draftFieldOf(path: string): DraftField | undefined {
  const parts = path.split('.').filter((p) => p !== 'body');
  const head = parts[0];
  if (head === 'sshPublicKeys') return 'sshKeys';
  const fields: DraftField[] = ['templateId', 'name', 'cores', 'memoryMib', 'diskGib', 'password'];
  return fields.find((f) => f === head);
}

export function describers(t: Translate, format: Formatters) {
  return {
    cores: (v: number) => formatCores(v, t),
    memoryMib: (v: number) => formatMemory(v, t, format),
    diskGib: (v: number) => formatDisk(v, t, format),
  };
}

/** The problems of one step, checked with the same rules the API applies. */
export function validateStep(
  step: WizardStep,
  draft: Draft,
  template: CatalogTemplate | undefined,
  t: Translate,
  format: Formatters,
): DraftErrors {
  const errors: DraftErrors = {};
  if (step === 'template') {
    if (!template) errors.templateId = t('vms.create.pickTemplate');
    else if (!template.available) errors.templateId = t('vms.create.templateUnavailable');
  }
  if (step === 'configure' && template) {
    errors.name = vmNameError(draft.name, t);
    const bounds = boundsOf(template, template.defaults.diskGib);
    const d = describers(t, format);
    errors.cores = sizeError(draft.cores, bounds.cores, d.cores, t);
    errors.memoryMib = sizeError(draft.memoryMib, bounds.memoryMib, d.memoryMib, t);
    errors.diskGib =
      draft.diskGib < template.defaults.diskGib
        ? t('vms.create.diskMin', { size: d.diskGib(template.defaults.diskGib) })
        : sizeError(draft.diskGib, bounds.diskGib, d.diskGib, t);
  }
  if (step === 'access' && template?.cloudInit) {
    errors.sshKeys = sshKeysError(draft.sshKeys, t);
    if (draft.password && draft.password.length < 8) errors.password = t('validation.minChars', { min: 8 });
    if (draft.password.length > 128) errors.password = t('validation.maxChars', { max: 128 });
  }
  return Object.fromEntries(Object.entries(errors).filter(([, v]) => v)) as DraftErrors;
}

/** The request, with only what differs from nothing: keys and password only for cloud-init templates. */
export function toBody(draft: Draft, template: CatalogTemplate): CreateVmBody {
  const keys = sshKeyLines(draft.sshKeys);
  return {
    templateId: template.id,
    name: draft.name.trim().toLowerCase(),
    cores: draft.cores,
    memoryMib: draft.memoryMib,
    diskGib: draft.diskGib,
    ...(template.cloudInit && keys.length > 0 ? { sshPublicKeys: keys } : {}),
    ...(template.cloudInit && draft.password ? { password: draft.password } : {}),
  };
}
