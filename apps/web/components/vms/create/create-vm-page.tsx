'use client';

import type { CatalogTemplate, Vm } from '@uni-manager/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowLeft, ArrowRight, Check, Minus, Rocket } from 'lucide-react';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';
import { PageHeader } from '@/components/layout/page-header';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardFooter } from '@/components/ui/card';
import { fetchCatalog } from '@/lib/api/catalog';
import { ApiError } from '@/lib/api/errors';
import { queryKeys } from '@/lib/api/query-keys';
import { createVm } from '@/lib/api/vms';
import { focusFirstInvalid } from '@/lib/forms/focus-first-invalid';
import { useI18n, useT } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { describeVmError } from '../vm-errors';
import { AccessStep } from './access-step';
import { ConfigureStep } from './configure-step';
import {
  draftFieldOf,
  emptyDraft,
  isSkipped,
  stepOfField,
  stepsFor,
  toBody,
  validateStep,
  withTemplate,
  wizardSteps,
  type Draft,
  type DraftErrors,
  type WizardStep,
} from './draft';
import { ReviewStep } from './review-step';
import { TemplateStep } from './template-step';

/** Refusals that no field can fix: said in full on the review step, with what to do. */
const explained = [
  'VM_LIMIT_REACHED',
  'NO_CAPACITY',
  'TEMPLATE_UNAVAILABLE',
  'ACCOUNT_SUSPENDED',
  'INSUFFICIENT_CREDITS',
] as const;
type ExplainedCode = (typeof explained)[number];

function BackLink() {
  const t = useT();
  return (
    <Link
      href="/vms"
      className="inline-flex items-center gap-1.5 text-sm text-muted-foreground hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
    >
      <ArrowLeft className="size-4" aria-hidden />
      {t('vms.detail.back')}
    </Link>
  );
}

/**
 * Always the four steps, numbered 1 to 4 from the start: a template without
 * cloud-init shows its access step as not needed rather than making the count change.
 */
function StepIndicator({
  template,
  current,
  reachable,
  onGo,
}: {
  template: CatalogTemplate | undefined;
  current: WizardStep;
  reachable: (step: WizardStep) => boolean;
  onGo: (step: WizardStep) => void;
}) {
  const { t } = useI18n();
  const index = wizardSteps.indexOf(current);
  return (
    <nav aria-label={t('vms.create.steps.label')}>
      <ol className="flex flex-wrap items-center gap-x-2 gap-y-2" data-testid="vm-wizard-steps">
        {wizardSteps.map((step, i) => {
          const skipped = isSkipped(step, template);
          const done = i < index && !skipped;
          const active = step === current;
          const content = (
            <>
              <span
                className={cn(
                  'flex size-6 shrink-0 items-center justify-center rounded-full border text-xs font-semibold tabular-nums',
                  active && 'border-primary bg-primary text-primary-foreground',
                  done && 'border-primary/40 bg-primary/10 text-primary',
                  !active && !done && 'text-muted-foreground',
                  skipped && 'border-dashed',
                )}
                aria-hidden
              >
                {done ? <Check className="size-3.5" /> : skipped ? <Minus className="size-3.5" /> : i + 1}
              </span>
              <span
                className={cn(
                  'text-sm',
                  active ? 'font-semibold' : 'text-muted-foreground',
                  skipped && 'line-through decoration-muted-foreground/60',
                )}
              >
                {t(`vms.create.steps.${step}`)}
              </span>
              <span className="sr-only">
                {t('vms.create.steps.progress', { step: i + 1, count: wizardSteps.length })}
                {skipped ? `, ${t('vms.create.steps.skipped')}` : null}
              </span>
            </>
          );
          return (
            <li
              key={step}
              className="flex items-center gap-2 after:ml-1 after:h-px after:w-6 after:bg-border last:after:hidden"
              aria-current={active ? 'step' : undefined}
              data-skipped={skipped || undefined}
              title={skipped ? t('vms.create.steps.skipped') : undefined}
            >
              {done && reachable(step) ? (
                <button
                  type="button"
                  onClick={() => onGo(step)}
                  className="flex items-center gap-2 rounded-md hover:underline focus-visible:outline-2 focus-visible:outline-ring"
                >
                  {content}
                </button>
              ) : (
                <span className="flex items-center gap-2">{content}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

export function CreateVmPage() {
  const { t, dict, format } = useI18n();
  const router = useRouter();
  const params = useSearchParams();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const catalog = useQuery({ queryKey: queryKeys.catalog, queryFn: ({ signal }) => fetchCatalog(signal) });

  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [step, setStep] = useState<WizardStep>('template');
  const [errors, setErrors] = useState<DraftErrors>({});
  const [problem, setProblem] = useState<{ title: string; description?: string } | null>(null);
  const [preselected, setPreselected] = useState(false);

  // ?template=<id> (from a template's page) chooses it and opens the next step, once the catalog is here.
  const wanted = params.get('template');
  if (!preselected && catalog.data) {
    setPreselected(true);
    const found = catalog.data.find((tpl) => tpl.id === wanted && tpl.available);
    if (found) {
      setDraft((d) => withTemplate(d, found));
      setStep('configure');
    }
  }

  const template: CatalogTemplate | undefined = catalog.data?.find((tpl) => tpl.id === draft.templateId);
  const steps = stepsFor(template);
  const index = steps.indexOf(step);

  const create = useMutation({
    mutationFn: (body: ReturnType<typeof toBody>) => createVm(body),
    meta: { silent: true },
    onSuccess: ({ vm, operation }) => {
      // The VM's page opens on the record just made, already showing its progress.
      queryClient.setQueryData<Vm>(queryKeys.vm(vm.id), { ...vm, activeOperation: operation });
      void queryClient.invalidateQueries({ queryKey: queryKeys.vms });
      void queryClient.invalidateQueries({ queryKey: queryKeys.credits });
    },
  });

  function change(patch: Partial<Draft>) {
    setDraft((d) => ({ ...d, ...patch }));
    setProblem(null);
    const cleared = Object.keys(patch) as Array<keyof Draft>;
    if (cleared.some((k) => errors[k]))
      setErrors((e) => ({ ...e, ...Object.fromEntries(cleared.map((k) => [k, undefined])) }));
  }

  function go(next: WizardStep) {
    setStep(next);
    setErrors({});
    window.scrollTo({ top: 0, behavior: 'smooth' });
  }

  function selectTemplate(tpl: CatalogTemplate) {
    setDraft((d) => (d.templateId === tpl.id ? d : withTemplate(d, tpl)));
    setErrors({});
    setProblem(null);
  }

  /** Shows API field errors on their step, the earliest step first. */
  function showApiErrors(err: ApiError): boolean {
    const found: DraftErrors = {};
    for (const f of err.fields) {
      const field = draftFieldOf(f.path);
      if (field) found[field] ??= f.message;
    }
    if (err.code === 'NAME_TAKEN') found.name = describeVmError(err, t, dict).title;
    const fields = Object.keys(found) as Array<keyof DraftErrors>;
    if (fields.length === 0) return false;
    const target = steps.find((s) => fields.some((f) => stepOfField(f) === s)) ?? 'configure';
    setStep(target);
    setErrors(found);
    focusFirstInvalid(formRef.current);
    return true;
  }

  async function submit() {
    if (!template) return;
    // Every step again: a template's bounds may have changed since it was chosen.
    for (const s of steps) {
      const found = validateStep(s, draft, template, t, format);
      if (Object.keys(found).length > 0) {
        setStep(s);
        setErrors(found);
        focusFirstInvalid(formRef.current);
        return;
      }
    }
    setProblem(null);
    try {
      const { vm } = await create.mutateAsync(toBody(draft, template));
      router.push(`/vms/${vm.id}`);
    } catch (err) {
      if (err instanceof ApiError && showApiErrors(err)) return;
      if (err instanceof ApiError && (explained as readonly string[]).includes(err.code)) {
        const code = err.code as ExplainedCode;
        // Lacking credits, the API's own figures say more than the code's words.
        const title = code === 'INSUFFICIENT_CREDITS' ? describeVmError(err, t, dict).title : dict.errorCodes[code];
        setProblem({ title, description: t(`vms.create.explain.${code}`) });
        if (code === 'TEMPLATE_UNAVAILABLE') void catalog.refetch();
        if (code === 'INSUFFICIENT_CREDITS') void queryClient.invalidateQueries({ queryKey: queryKeys.credits });
        return;
      }
      setProblem(describeVmError(err, t, dict));
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (step === 'review') {
      void submit();
      return;
    }
    const found = validateStep(step, draft, template, t, format);
    if (Object.keys(found).length > 0) {
      setErrors(found);
      focusFirstInvalid(formRef.current);
      return;
    }
    const next = steps[index + 1];
    if (next) go(next);
  }

  const reachable = (s: WizardStep) => s === 'template' || template !== undefined;
  // Checked as the user types, with the API's own schemas; an empty name is not an error until Next.
  const live = step === 'template' ? {} : validateStep(step, draft, template, t, format);
  if (!draft.name.trim()) delete live.name;
  const shown: DraftErrors = { ...live, ...Object.fromEntries(Object.entries(errors).filter(([, v]) => v)) };

  return (
    <>
      <PageHeader eyebrow={<BackLink />} title={t('vms.create.title')} description={t('vms.create.subtitle')} />
      <form ref={formRef} noValidate onSubmit={onSubmit} data-testid="vm-create-form" data-step={step}>
        <Card>
          <CardContent className="space-y-6">
            <StepIndicator template={template} current={step} reachable={reachable} onGo={go} />
            <div>
              <h2 className="text-base font-semibold">{t(`vms.create.headings.${step}`)}</h2>
              <p className="text-sm text-muted-foreground">{t(`vms.create.descriptions.${step}`)}</p>
            </div>
            {step === 'template' ? (
              <TemplateStep
                templates={catalog.data}
                loadError={catalog.error}
                onRetry={() => void catalog.refetch()}
                selectedId={draft.templateId}
                onSelect={selectTemplate}
                error={errors.templateId}
              />
            ) : template && step === 'configure' ? (
              <ConfigureStep template={template} draft={draft} errors={shown} onChange={change} />
            ) : template && step === 'access' ? (
              <AccessStep draft={draft} errors={shown} onChange={change} />
            ) : template && step === 'review' ? (
              <ReviewStep template={template} draft={draft} onEdit={go} problem={problem} />
            ) : null}
          </CardContent>
          <CardFooter className="justify-between gap-3">
            {index > 0 ? (
              <Button
                variant="outline"
                onClick={() => go(steps[index - 1]!)}
                disabled={create.isPending}
                data-testid="vm-wizard-back"
              >
                <ArrowLeft aria-hidden />
                {t('vms.create.back')}
              </Button>
            ) : (
              <span />
            )}
            {step === 'review' ? (
              <Button type="submit" pending={create.isPending} data-testid="vm-create-submit">
                {create.isPending ? null : <Rocket aria-hidden />}
                {create.isPending ? t('vms.create.creating') : t('vms.create.submit')}
              </Button>
            ) : (
              <Button type="submit" disabled={step === 'template' && !template} data-testid="vm-wizard-next">
                {t('vms.create.next')}
                <ArrowRight aria-hidden />
              </Button>
            )}
          </CardFooter>
        </Card>
      </form>
    </>
  );
}
