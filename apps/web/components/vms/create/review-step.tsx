'use client';

import type { CatalogTemplate } from '@uni-manager/contracts';
import type { ReactNode } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { OsIcon } from '@/components/templates/os-icon';
import { SizePrice } from '@/components/billing/size-price';
import { formatSize } from '../vm-format';
import { sshKeyLines } from '../vm-name';
import type { Draft, WizardStep } from './draft';

function Row({ label, children, onEdit }: { label: string; children: ReactNode; onEdit?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="flex items-start justify-between gap-4 py-3">
      <div className="min-w-0 space-y-0.5">
        <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
        <dd className="break-words text-sm">{children}</dd>
      </div>
      {onEdit ? (
        <Button variant="link" size="sm" onClick={onEdit} aria-label={t('vms.create.editLabel', { field: label })}>
          {t('vms.create.edit')}
        </Button>
      ) : null}
    </div>
  );
}

interface ReviewStepProps {
  template: CatalogTemplate;
  draft: Draft;
  onEdit: (step: WizardStep) => void;
  /** Why the API refused, with what to do about it. */
  problem?: { title: string; description?: string } | null;
}

export function ReviewStep({ template, draft, onEdit, problem }: ReviewStepProps) {
  const { t, format } = useI18n();
  const keys = sshKeyLines(draft.sshKeys).length;
  const noAccess = template.cloudInit && keys === 0 && !draft.password;
  // Two equal columns: the price table needs each of its three periods on one line.
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <dl className="divide-y rounded-xl border px-4" data-testid="vm-create-summary">
        <Row label={t('vms.create.steps.template')} onEdit={() => onEdit('template')}>
          <span className="flex items-center gap-3">
            <OsIcon icon={template.osIcon} size="sm" />
            <span>
              <span className="block font-medium">{template.name}</span>
              <span className="block text-muted-foreground">{template.osLabel}</span>
            </span>
          </span>
        </Row>
        <Row label={t('vms.create.name')} onEdit={() => onEdit('configure')}>
          <span className="font-mono">{draft.name.trim().toLowerCase()}</span>
        </Row>
        <Row label={t('vms.create.size')} onEdit={() => onEdit('configure')}>
          <span className="tabular-nums">{formatSize(draft, t, format)}</span>
        </Row>
        {template.cloudInit ? (
          <Row label={t('vms.create.steps.access')} onEdit={() => onEdit('access')}>
            {[
              keys > 0 ? t('vms.create.sshKeysCount', { count: keys }) : null,
              draft.password ? t('vms.create.passwordSet') : null,
            ]
              .filter(Boolean)
              .join(' · ') || <span className="text-muted-foreground">{t('vms.create.noAccess')}</span>}
          </Row>
        ) : null}
      </dl>
      <div className="space-y-4">
        <div className="rounded-xl border p-4">
          <p className="mb-1 text-sm font-semibold">{t('vms.price.title')}</p>
          <p className="mb-3 text-xs text-muted-foreground">{t('vms.create.priceHint')}</p>
          <SizePrice template={template} size={draft} />
        </div>
        {noAccess ? <Alert tone="warning">{t('vms.create.noAccessWarning')}</Alert> : null}
      </div>
      {problem ? (
        <Alert tone="destructive" className="lg:col-span-2" data-testid="vm-create-error">
          <p className="font-medium">{problem.title}</p>
          {problem.description ? <p className="mt-0.5 text-muted-foreground">{problem.description}</p> : null}
        </Alert>
      ) : null}
    </div>
  );
}
