'use client';

import {
  createTemplateBodySchema,
  formatCredits,
  LIMITS,
  type CloneMode,
  type CreateTemplateBody,
  type OsIcon,
  type Template,
  type TemplateVisibility,
} from '@uni-manager/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { z } from 'zod';
import { isApiError } from '@/lib/api/errors';
import { queryKeys } from '@/lib/api/query-keys';
import { createTemplate, updateTemplate } from '@/lib/api/templates';
import { creditsInput, decimalSeparator, parseCredits } from '@/lib/credits';
import { describeError, type ErrorDescription } from '@/lib/errors/describe';
import { focusFirstInvalid } from '@/lib/forms/focus-first-invalid';
import { translateIssue } from '@/lib/forms/validate';
import { intlLocale, type Locale } from '@/lib/i18n/config';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { Translate } from '@/lib/i18n/translate';
import { sourceErrorText } from './source-errors';

export interface SourceDraft {
  /** Stable across edits so React keeps each row's state. */
  key: string;
  serverId: string;
  node: string;
  vmid: string;
  cloneMode: CloneMode;
  /** '' keeps the storage of the template's disks. */
  storage: string;
}

export const numberFields = {
  cores: 'defaults.cores',
  memoryMib: 'defaults.memoryMib',
  diskGib: 'defaults.diskGib',
  minCores: 'bounds.minCores',
  maxCores: 'bounds.maxCores',
  minMemoryMib: 'bounds.minMemoryMib',
  maxMemoryMib: 'bounds.maxMemoryMib',
  maxDiskGib: 'bounds.maxDiskGib',
} as const;
export type NumberField = keyof typeof numberFields;

/** The price inputs (in credits, as typed) and the API field each one fills. */
export const priceFields = {
  priceRunning: 'priceRunningPerHour',
  priceStopped: 'priceStoppedPerHour',
  perCore: 'unitPrices.perCorePerHour',
  perGibMemory: 'unitPrices.perGibMemoryPerHour',
  perGibDisk: 'unitPrices.perGibDiskPerHour',
} as const;
export type PriceField = keyof typeof priceFields;

export interface TemplateDraft extends Record<NumberField, string>, Record<PriceField, string> {
  name: string;
  description: string;
  osLabel: string;
  osIcon: OsIcon;
  visibility: TemplateVisibility;
  cloudInit: boolean;
  sources: SourceDraft[];
}

/** Errors by the API's field path: "name", "defaults.cores", "sources.0.vmid"… */
export type TemplateErrors = Partial<Record<string, string>>;

let nextKey = 0;
export const newSource = (serverId = ''): SourceDraft => ({
  key: `source-${++nextKey}`,
  serverId,
  node: '',
  vmid: '',
  cloneMode: 'linked',
  storage: '',
});

export function draftOf(template: Template | undefined, locale: Locale): TemplateDraft {
  const sep = decimalSeparator(locale);
  if (!template)
    return {
      name: '',
      description: '',
      osLabel: '',
      osIcon: 'linux',
      visibility: 'public',
      cloudInit: true,
      cores: '2',
      memoryMib: '2048',
      diskGib: '10',
      minCores: '1',
      maxCores: '8',
      minMemoryMib: '512',
      maxMemoryMib: '16384',
      maxDiskGib: '200',
      priceRunning: '0',
      priceStopped: '0',
      perCore: '0',
      perGibMemory: '0',
      perGibDisk: '0',
      sources: [newSource()],
    };
  return {
    name: template.name,
    description: template.description,
    osLabel: template.osLabel,
    osIcon: template.osIcon,
    visibility: template.visibility,
    cloudInit: template.cloudInit,
    cores: String(template.defaults.cores),
    memoryMib: String(template.defaults.memoryMib),
    diskGib: String(template.defaults.diskGib),
    minCores: String(template.bounds.minCores),
    maxCores: String(template.bounds.maxCores),
    minMemoryMib: String(template.bounds.minMemoryMib),
    maxMemoryMib: String(template.bounds.maxMemoryMib),
    maxDiskGib: String(template.bounds.maxDiskGib),
    priceRunning: creditsInput(template.priceRunningPerHour, sep),
    priceStopped: creditsInput(template.priceStoppedPerHour, sep),
    perCore: creditsInput(template.unitPrices.perCorePerHour, sep),
    perGibMemory: creditsInput(template.unitPrices.perGibMemoryPerHour, sep),
    perGibDisk: creditsInput(template.unitPrices.perGibDiskPerHour, sep),
    sources: template.sources.map((s) => ({
      key: `source-${++nextKey}`,
      serverId: s.serverId,
      node: s.node,
      vmid: String(s.vmid),
      cloneMode: s.cloneMode,
      storage: s.storage ?? '',
    })),
  };
}

/** The contract's English messages for its own rules, said in the admin's language. */
const ruleMessages: Record<string, Parameters<Translate>[0]> = {
  'Outside the allowed range': 'templates.form.errors.outsideRange',
  'The maximum is below the minimum': 'templates.form.errors.maxBelowMin',
  'The maximum is below the default disk size': 'templates.form.errors.maxBelowDisk',
  'Memory is set in steps of 128 MiB': 'templates.form.errors.memoryStep',
  'This node already has a source': 'templates.form.errors.duplicateNode',
  'Only full clones choose a storage': 'templates.form.errors.storageLinked',
  'Add at least one Proxmox template to clone from': 'templates.form.errors.noSources',
};

function issueText(issue: z.core.$ZodIssue, t: Translate, locale: Locale): string {
  const rule = ruleMessages[issue.message];
  if (rule) return t(rule);
  const path = issue.path.join('.');
  if ((path.startsWith('price') || path.startsWith('unitPrices')) && issue.code === 'too_big')
    return t('templates.form.errors.priceTooHigh', { max: formatCredits(LIMITS.price.max, intlLocale[locale]) });
  if (issue.code === 'too_small' && issue.origin === 'number')
    return t('templates.form.errors.min', { min: Number(issue.minimum) });
  if (issue.code === 'too_big' && issue.origin === 'number')
    return t('templates.form.errors.max', { max: Number(issue.maximum) });
  if (issue.code === 'invalid_format' && path.startsWith('sources')) return t('templates.form.errors.pveName');
  return translateIssue(issue, t);
}

type Checked = { ok: true; body: CreateTemplateBody } | { ok: false; errors: TemplateErrors };

/** The draft as the API's body, or what is wrong with it, by field path. */
export function checkDraft(d: TemplateDraft, t: Translate, locale: Locale): Checked {
  const errors: TemplateErrors = {};
  const whole = (value: string, path: string): number => {
    const v = value.trim();
    if (!v) errors[path] = t('validation.required');
    else if (!/^\d{1,12}$/.test(v)) errors[path] = t('templates.form.errors.wholeNumber');
    return Number(v);
  };
  const credits = (value: string, path: string): number => {
    const parsed = parseCredits(value.trim() || '0');
    if (parsed === null) errors[path] = t('templates.form.errors.price');
    return parsed ?? 0;
  };
  const n = (f: NumberField) => whole(d[f], numberFields[f]);
  const candidate = {
    name: d.name,
    description: d.description,
    osLabel: d.osLabel,
    osIcon: d.osIcon,
    visibility: d.visibility,
    cloudInit: d.cloudInit,
    defaults: { cores: n('cores'), memoryMib: n('memoryMib'), diskGib: n('diskGib') },
    bounds: {
      minCores: n('minCores'),
      maxCores: n('maxCores'),
      minMemoryMib: n('minMemoryMib'),
      maxMemoryMib: n('maxMemoryMib'),
      maxDiskGib: n('maxDiskGib'),
    },
    priceRunningPerHour: credits(d.priceRunning, priceFields.priceRunning),
    priceStoppedPerHour: credits(d.priceStopped, priceFields.priceStopped),
    unitPrices: {
      perCorePerHour: credits(d.perCore, priceFields.perCore),
      perGibMemoryPerHour: credits(d.perGibMemory, priceFields.perGibMemory),
      perGibDiskPerHour: credits(d.perGibDisk, priceFields.perGibDisk),
    },
    sources: d.sources.map((s, i) => {
      if (!s.serverId) errors[`sources.${i}.serverId`] = t('templates.form.errors.pickServer');
      return {
        serverId: s.serverId,
        node: s.node,
        vmid: whole(s.vmid, `sources.${i}.vmid`),
        cloneMode: s.cloneMode,
        storage: s.cloneMode === 'full' && s.storage ? s.storage : null,
      };
    }),
  };
  const parsed = createTemplateBodySchema.safeParse(candidate);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const path = issue.path.join('.');
      errors[path] ??= issueText(issue, t, locale);
    }
  if (Object.keys(errors).length || !parsed.success) return { ok: false, errors };
  return { ok: true, body: parsed.data };
}

/**
 * The state of the template form: the draft, an error per field path (from
 * the checks here or the API's answer), and one notice for everything else.
 */
export function useTemplateForm(template?: Template) {
  const { t, dict, locale } = useI18n();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<TemplateDraft>(() => draftOf(template, locale));
  const [errors, setErrors] = useState<TemplateErrors>({});
  const [notice, setNotice] = useState<ErrorDescription | null>(null);

  const mutation = useMutation({
    mutationFn: (body: CreateTemplateBody) => (template ? updateTemplate(template.id, body) : createTemplate(body)),
    meta: { silent: true },
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKeys.adminTemplate(saved.id), saved);
      // The admin list, the catalog (under ['templates']) and the audit log all changed.
      void queryClient.invalidateQueries({ queryKey: queryKeys.admin });
      void queryClient.invalidateQueries({ queryKey: ['templates'] });
    },
  });

  function set<K extends keyof TemplateDraft>(field: K, value: TemplateDraft[K]) {
    setDraft((d) => ({ ...d, [field]: value }));
    const apiPath =
      field in numberFields
        ? numberFields[field as NumberField]
        : field in priceFields
          ? priceFields[field as PriceField]
          : field;
    setErrors((e) => {
      if (!e[apiPath]) return e;
      const next = { ...e };
      delete next[apiPath];
      return next;
    });
    setNotice(null);
  }

  function setSource(index: number, patch: Partial<SourceDraft>) {
    setDraft((d) => ({ ...d, sources: d.sources.map((s, i) => (i === index ? { ...s, ...patch } : s)) }));
    setErrors((e) => {
      const next = { ...e };
      for (const key of Object.keys(patch)) delete next[`sources.${index}.${key}`];
      // Picking a Proxmox template fills the node and VMID at once: either may have held the error.
      if ('node' in patch || 'vmid' in patch) {
        delete next[`sources.${index}.node`];
        delete next[`sources.${index}.vmid`];
      }
      delete next.sources;
      return next;
    });
    setNotice(null);
  }

  /** Row numbers shift when one goes: errors of the others would land on the wrong rows. */
  function clearSourceErrors() {
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !k.startsWith('sources'))));
  }

  function addSource(serverId?: string) {
    setDraft((d) => ({ ...d, sources: [...d.sources, newSource(serverId)] }));
    clearSourceErrors();
  }

  function removeSource(index: number) {
    setDraft((d) => ({ ...d, sources: d.sources.filter((_, i) => i !== index) }));
    clearSourceErrors();
  }

  function show(found: TemplateErrors) {
    setErrors(found);
    focusFirstInvalid(formRef.current);
  }

  /** Saves, and returns the saved template; on failure the errors are shown and undefined returned. */
  async function save(): Promise<Template | undefined> {
    setNotice(null);
    const checked = checkDraft(draft, t, locale);
    if (!checked.ok) {
      show(checked.errors);
      return undefined;
    }
    try {
      return await mutation.mutateAsync(checked.body);
    } catch (err) {
      if (isApiError(err)) {
        if (err.code === 'NAME_TAKEN') {
          show({ name: t('templates.form.errors.nameTaken') });
          return undefined;
        }
        if (err.fields.length) {
          const found: TemplateErrors = {};
          for (const { path, message } of err.fields)
            found[path.replace(/^body\./, '')] ??= sourceErrorText(message, t);
          show(found);
          if (err.code === 'TEMPLATE_SOURCE_INVALID') setNotice({ title: t('templates.form.sourcesRefused') });
          return undefined;
        }
      }
      setNotice(describeError(err, t, dict));
      return undefined;
    }
  }

  return {
    formRef,
    draft,
    errors,
    notice,
    set,
    setSource,
    addSource,
    removeSource,
    save,
    saving: mutation.isPending,
    editing: template !== undefined,
  };
}

/** What the form's parts work with; the form element's ref stays with the component that renders it. */
export type TemplateForm = Omit<ReturnType<typeof useTemplateForm>, 'formRef'>;
