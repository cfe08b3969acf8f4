'use client';

import { osIcons, templateVisibilities, type Template } from '@uni-manager/contracts';
import { useQuery } from '@tanstack/react-query';
import { ArrowLeft, LayoutTemplate, Trash2 } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { toast } from 'sonner';
import { PageHeader } from '@/components/layout/page-header';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { QueryError } from '@/components/ui/query-error';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Skeleton } from '@/components/ui/skeleton';
import { Switch } from '@/components/ui/switch';
import { Textarea } from '@/components/ui/textarea';
import { isApiError } from '@/lib/api/errors';
import { queryKeys } from '@/lib/api/query-keys';
import { fetchTemplate } from '@/lib/api/templates';
import { parseCredits } from '@/lib/credits';
import { useI18n, useT } from '@/lib/i18n/i18n-provider';
import { DeleteTemplateDialog } from './delete-template-dialog';
import { VisibilityBadge } from './admin-templates-page';
import { OsIcon } from './os-icon';
import { SourcesEditor } from './sources-editor';
import { creditsText, memoryText, PERIOD_HOURS } from './template-format';
import {
  numberFields,
  priceFields,
  useTemplateForm,
  type NumberField,
  type PriceField,
  type TemplateForm,
} from './use-template-form';

function BackLink() {
  const t = useT();
  return (
    <Link
      href="/admin/templates"
      className="inline-flex items-center gap-1.5 text-sm text-muted-foreground hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
    >
      <ArrowLeft className="size-4" aria-hidden />
      {t('templates.form.back')}
    </Link>
  );
}

function Section({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5">{children}</CardContent>
    </Card>
  );
}

function NumberInput({
  form,
  field,
  label,
  hint,
}: {
  form: TemplateForm;
  field: NumberField;
  label: string;
  hint?: ReactNode;
}) {
  return (
    <FormField label={label} hint={hint} error={form.errors[numberFields[field]]} className="content-start">
      {(control) => (
        <Input
          {...control}
          name={field}
          inputMode="numeric"
          autoComplete="off"
          value={form.draft[field]}
          onChange={(e) => form.set(field, e.target.value)}
          className="tabular-nums"
          data-testid={`template-${field}`}
        />
      )}
    </FormField>
  );
}

/** Typed memory in MiB, read back in GiB so 16384 is not misread. */
function memoryHint(value: string, form: ReturnType<typeof useI18n>): string | undefined {
  return /^\d+$/.test(value.trim()) && Number(value) >= 1024
    ? memoryText(Number(value), form.t, form.format)
    : undefined;
}

function GeneralSection({ form }: { form: TemplateForm }) {
  const i18n = useI18n();
  const { t } = i18n;
  const cloudInitId = useId();
  return (
    <Section title={t('templates.form.general')} description={t('templates.form.generalDescription')}>
      <div className="grid gap-5 sm:grid-cols-2">
        <FormField
          label={t('templates.form.name')}
          hint={t('templates.form.nameHint')}
          error={form.errors.name}
          className="content-start"
        >
          {(control) => (
            <Input
              {...control}
              name="name"
              autoComplete="off"
              maxLength={80}
              value={form.draft.name}
              onChange={(e) => form.set('name', e.target.value)}
              placeholder="Debian 12"
              data-testid="template-name"
            />
          )}
        </FormField>
        <FormField
          label={t('templates.form.osLabel')}
          hint={t('templates.form.osLabelHint')}
          error={form.errors.osLabel}
          className="content-start"
        >
          {(control) => (
            <Input
              {...control}
              name="osLabel"
              autoComplete="off"
              maxLength={60}
              value={form.draft.osLabel}
              onChange={(e) => form.set('osLabel', e.target.value)}
              placeholder="Debian 12 (bookworm)"
              data-testid="template-os-label"
            />
          )}
        </FormField>
        <FormField label={t('templates.form.osIcon')} error={form.errors.osIcon} className="content-start">
          {(control) => (
            <Select value={form.draft.osIcon} onValueChange={(v) => form.set('osIcon', v as (typeof osIcons)[number])}>
              <SelectTrigger {...control} className="h-11" data-testid="template-os-icon">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {osIcons.map((icon) => (
                  <SelectItem key={icon} value={icon}>
                    <span className="flex items-center gap-2.5">
                      <OsIcon icon={icon} size="sm" />
                      {t(`templates.osIcons.${icon}`)}
                    </span>
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          )}
        </FormField>
        <FormField
          label={t('templates.form.visibility')}
          hint={t(`templates.visibilityHints.${form.draft.visibility}`)}
          error={form.errors.visibility}
          className="content-start"
        >
          {(control) => (
            <Select
              value={form.draft.visibility}
              onValueChange={(v) => form.set('visibility', v as (typeof templateVisibilities)[number])}
            >
              <SelectTrigger {...control} className="h-11" data-testid="template-visibility">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {templateVisibilities.map((v) => (
                  <SelectItem key={v} value={v}>
                    {t(`templates.visibility.${v}`)}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          )}
        </FormField>
      </div>
      <FormField
        label={t('templates.form.description')}
        hint={t('templates.form.descriptionHint')}
        error={form.errors.description}
      >
        {(control) => (
          <Textarea
            {...control}
            name="description"
            rows={3}
            maxLength={1000}
            value={form.draft.description}
            onChange={(e) => form.set('description', e.target.value)}
            data-testid="template-description"
          />
        )}
      </FormField>
      <div className="flex items-start justify-between gap-4 rounded-lg border p-4">
        <div className="grid gap-1">
          <label htmlFor={cloudInitId} className="text-sm font-medium">
            {t('templates.form.cloudInit')}
          </label>
          <p id={`${cloudInitId}-hint`} className="text-[0.8125rem] text-muted-foreground">
            {t('templates.form.cloudInitHint')}
          </p>
        </div>
        <Switch
          id={cloudInitId}
          checked={form.draft.cloudInit}
          onCheckedChange={(v) => form.set('cloudInit', v)}
          aria-describedby={`${cloudInitId}-hint`}
          data-testid="template-cloud-init"
        />
      </div>
    </Section>
  );
}

function SizeSection({ form }: { form: TemplateForm }) {
  const i18n = useI18n();
  const { t } = i18n;
  const d = form.draft;
  return (
    <Section title={t('templates.form.size')} description={t('templates.form.sizeDescription')}>
      <fieldset className="grid gap-3">
        <legend className="mb-3 text-sm font-medium">{t('templates.form.defaults')}</legend>
        <div className="grid gap-4 sm:grid-cols-3">
          <NumberInput form={form} field="cores" label={t('templates.form.cores')} />
          <NumberInput
            form={form}
            field="memoryMib"
            label={t('templates.form.memoryMib')}
            hint={memoryHint(d.memoryMib, i18n)}
          />
          <NumberInput
            form={form}
            field="diskGib"
            label={t('templates.form.diskGib')}
            hint={t('templates.form.diskHint')}
          />
        </div>
      </fieldset>
      <fieldset className="grid gap-3">
        <legend className="mb-1 text-sm font-medium">{t('templates.form.bounds')}</legend>
        <p className="mb-2 text-[0.8125rem] text-muted-foreground">{t('templates.form.boundsHint')}</p>
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
          <NumberInput form={form} field="minCores" label={t('templates.form.minCores')} />
          <NumberInput form={form} field="maxCores" label={t('templates.form.maxCores')} />
          <NumberInput
            form={form}
            field="minMemoryMib"
            label={t('templates.form.minMemoryMib')}
            hint={memoryHint(d.minMemoryMib, i18n)}
          />
          <NumberInput
            form={form}
            field="maxMemoryMib"
            label={t('templates.form.maxMemoryMib')}
            hint={memoryHint(d.maxMemoryMib, i18n)}
          />
          <NumberInput form={form} field="maxDiskGib" label={t('templates.form.maxDiskGib')} />
        </div>
      </fieldset>
    </Section>
  );
}

const priceTestIds: Record<PriceField, string> = {
  priceRunning: 'template-price-running',
  priceStopped: 'template-price-stopped',
  perCore: 'template-price-per-core',
  perGibMemory: 'template-price-per-gib-memory',
  perGibDisk: 'template-price-per-gib-disk',
};

function PriceInput({
  form,
  field,
  label,
  hint,
}: {
  form: TemplateForm;
  field: PriceField;
  label: string;
  hint: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <FormField label={label} hint={hint} error={form.errors[priceFields[field]]} className="content-start">
      {(control) => (
        <div className="flex items-center gap-2">
          <Input
            {...control}
            name={field}
            inputMode="decimal"
            autoComplete="off"
            value={form.draft[field]}
            onChange={(e) => form.set(field, e.target.value)}
            className="tabular-nums"
            data-testid={priceTestIds[field]}
          />
          <span className="shrink-0 text-sm text-muted-foreground">{t('templates.form.creditsPerHour')}</span>
        </div>
      )}
    </FormField>
  );
}

function PriceSection({ form }: { form: TemplateForm }) {
  const { t, locale } = useI18n();
  const running = parseCredits(form.draft.priceRunning.trim() || '0');
  const preview =
    running !== null && running > 0
      ? t('templates.form.pricePreview', {
          day: creditsText(running * PERIOD_HOURS.day, t, locale),
          month: creditsText(running * PERIOD_HOURS.month, t, locale),
        })
      : t('templates.form.priceRunningHint');
  return (
    <Section title={t('templates.form.prices')} description={t('templates.form.pricesDescription')}>
      <div className="grid gap-5 sm:grid-cols-2">
        <PriceInput form={form} field="priceRunning" label={t('templates.form.priceRunning')} hint={preview} />
        <PriceInput
          form={form}
          field="priceStopped"
          label={t('templates.form.priceStopped')}
          hint={t('templates.form.priceStoppedHint')}
        />
      </div>
      <fieldset className="grid gap-3">
        <legend className="mb-1 text-sm font-medium">{t('templates.form.unitPrices')}</legend>
        <p className="mb-2 text-[0.8125rem] text-muted-foreground">{t('templates.form.unitPricesHint')}</p>
        <div className="grid gap-5 sm:grid-cols-2 lg:grid-cols-3">
          <PriceInput
            form={form}
            field="perCore"
            label={t('templates.form.perCore')}
            hint={t('templates.form.perCoreHint')}
          />
          <PriceInput
            form={form}
            field="perGibMemory"
            label={t('templates.form.perGibMemory')}
            hint={t('templates.form.perGibMemoryHint')}
          />
          <PriceInput
            form={form}
            field="perGibDisk"
            label={t('templates.form.perGibDisk')}
            hint={t('templates.form.perGibDiskHint')}
          />
        </div>
      </fieldset>
    </Section>
  );
}

function TemplateFormView({ template }: { template?: Template }) {
  const { t } = useI18n();
  const router = useRouter();
  const { formRef, ...form } = useTemplateForm(template);
  const [deleting, setDeleting] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const saved = await form.save();
    if (!saved) return;
    toast.success(t(template ? 'templates.form.updated' : 'templates.form.created', { name: saved.name }));
    router.push('/admin/templates');
  }

  return (
    <>
      <PageHeader
        eyebrow={<BackLink />}
        title={
          template ? (
            <span className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
              <OsIcon icon={template.osIcon} size="md" />
              <span className="min-w-0 break-words" data-testid="template-title">
                {template.name}
              </span>
              <span className="text-base font-normal tracking-normal">
                <VisibilityBadge visibility={template.visibility} />
              </span>
            </span>
          ) : (
            t('templates.form.newTitle')
          )
        }
        description={
          !template
            ? t('templates.form.newDescription')
            : template.vmCount > 0
              ? t('templates.form.editDescription', { count: template.vmCount })
              : t('templates.form.editDescriptionUnused')
        }
        actions={
          template ? (
            <Button variant="outline" onClick={() => setDeleting(true)} data-testid="delete-template">
              <Trash2 aria-hidden />
              {t('templates.delete.confirm')}
            </Button>
          ) : null
        }
      />
      <form
        ref={formRef}
        noValidate
        onSubmit={(e) => void onSubmit(e)}
        className="grid gap-6"
        data-testid="template-form"
      >
        <GeneralSection form={form} />
        <SizeSection form={form} />
        <PriceSection form={form} />
        <Section title={t('templates.form.sources')} description={t('templates.form.sourcesDescription')}>
          <SourcesEditor form={form} />
        </Section>
        {form.notice ? (
          <Alert tone="destructive" data-testid="template-form-error">
            <p className="font-medium">{form.notice.title}</p>
            {form.notice.description ? <p className="mt-0.5 text-muted-foreground">{form.notice.description}</p> : null}
          </Alert>
        ) : null}
        <div className="flex flex-col-reverse gap-2 border-t pt-5 sm:flex-row sm:justify-end">
          <Button variant="outline" asChild>
            <Link href="/admin/templates">{t('common.cancel')}</Link>
          </Button>
          <Button type="submit" pending={form.saving} data-testid="save-template">
            {form.saving ? t('templates.form.saving') : template ? t('common.save') : t('templates.form.create')}
          </Button>
        </div>
      </form>
      {template ? (
        <DeleteTemplateDialog
          template={deleting ? template : null}
          onClose={() => setDeleting(false)}
          onDeleted={() => router.push('/admin/templates')}
        />
      ) : null}
    </>
  );
}

export function NewTemplatePage() {
  return <TemplateFormView />;
}

export function EditTemplatePage({ id }: { id: string }) {
  const { t } = useI18n();
  const query = useQuery({ queryKey: queryKeys.adminTemplate(id), queryFn: ({ signal }) => fetchTemplate(id, signal) });

  if (query.isPending)
    return (
      <div className="space-y-6" aria-busy>
        <BackLink />
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-72 w-full rounded-xl" />
        <Skeleton className="h-56 w-full rounded-xl" />
      </div>
    );

  if (query.isError) {
    const missing =
      isApiError(query.error) && (query.error.code === 'NOT_FOUND' || query.error.code === 'VALIDATION_FAILED');
    return (
      <div className="space-y-6">
        <BackLink />
        <Card>
          {missing ? (
            <EmptyState icon={LayoutTemplate} title={t('templates.form.notFound')} />
          ) : (
            <QueryError error={query.error} onRetry={() => void query.refetch()} />
          )}
        </Card>
      </div>
    );
  }
  // Keyed: a background refetch must not overwrite what the admin is typing, but another template starts afresh.
  return <TemplateFormView key={query.data.id} template={query.data} />;
}
