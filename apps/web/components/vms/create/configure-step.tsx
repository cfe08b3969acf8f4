'use client';

import type { CatalogTemplate } from '@uni-manager/contracts';
import { SizePrice } from '@/components/billing/size-price';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { boundsOf } from '../size-bounds';
import { SizeField } from '../size-field';
import { describers, type Draft, type DraftErrors } from './draft';

interface ConfigureStepProps {
  template: CatalogTemplate;
  draft: Draft;
  errors: DraftErrors;
  onChange: (patch: Partial<Draft>) => void;
}

export function ConfigureStep({ template, draft, errors, onChange }: ConfigureStepProps) {
  const { t, format } = useI18n();
  const bounds = boundsOf(template, template.defaults.diskGib);
  const d = describers(t, format);
  const normalized = draft.name.trim().toLowerCase();

  return (
    <div className="grid gap-7">
      <FormField
        label={t('vms.create.name')}
        error={errors.name}
        hint={
          errors.name === t('vms.create.nameRule')
            ? undefined
            : normalized && normalized !== draft.name && !errors.name
              ? t('vms.create.nameBecomes', { name: normalized })
              : t('vms.create.nameRule')
        }
      >
        {(control) => (
          <Input
            {...control}
            autoFocus
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={63}
            placeholder={t('vms.create.namePlaceholder')}
            value={draft.name}
            onChange={(e) => onChange({ name: e.target.value })}
            className="font-mono sm:max-w-sm"
            data-testid="vm-name-input"
          />
        )}
      </FormField>
      <fieldset className="grid gap-6">
        <legend className="mb-4 text-sm font-semibold">{t('vms.create.size')}</legend>
        <SizeField
          label={t('vms.size.cores')}
          value={draft.cores}
          min={bounds.cores.min}
          max={bounds.cores.max}
          step={1}
          unit={t('vms.units.coresUnit')}
          describe={d.cores}
          onChange={(cores) => onChange({ cores })}
          error={errors.cores}
          testId="vm-cores-input"
        />
        <SizeField
          label={t('vms.size.memory')}
          value={draft.memoryMib}
          min={bounds.memoryMib.min}
          max={bounds.memoryMib.max}
          step={bounds.memoryMib.step}
          scale={1024}
          unit={t('vms.units.gibUnit')}
          describe={d.memoryMib}
          onChange={(memoryMib) => onChange({ memoryMib })}
          error={errors.memoryMib}
          testId="vm-memory-input"
        />
        <SizeField
          label={t('vms.size.disk')}
          value={draft.diskGib}
          min={bounds.diskGib.min}
          max={bounds.diskGib.max}
          step={1}
          unit={t('vms.units.gibUnit')}
          describe={d.diskGib}
          onChange={(diskGib) => onChange({ diskGib })}
          error={errors.diskGib}
          hint={t('vms.create.diskHint')}
          testId="vm-disk-input"
        />
      </fieldset>
      <section className="rounded-xl border p-4" aria-labelledby="vm-size-price-title">
        <h3 id="vm-size-price-title" className="mb-1 text-sm font-semibold">
          {t('credits.sizePrice.title')}
        </h3>
        <p className="mb-3 text-xs text-muted-foreground">{t('vms.create.priceHint')}</p>
        <SizePrice template={template} size={draft} />
      </section>
    </div>
  );
}
