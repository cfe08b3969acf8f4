'use client';

import type { CatalogTemplate } from '@uni-manager/contracts';
import { LayoutTemplate } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryError } from '@/components/ui/query-error';
import { Skeleton } from '@/components/ui/skeleton';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { OsIcon } from '@/components/templates/os-icon';
import { formatHourly, formatSize } from '../vm-format';

interface TemplateStepProps {
  templates: CatalogTemplate[] | undefined;
  loadError: unknown;
  onRetry: () => void;
  selectedId: string | null;
  onSelect: (template: CatalogTemplate) => void;
  error?: string;
}

/** The catalog as a radio group of cards: arrow keys move between them, as with any radio group. */
export function TemplateStep({ templates, loadError, onRetry, selectedId, onSelect, error }: TemplateStepProps) {
  const { t, format, locale } = useI18n();
  if (loadError && !templates) return <QueryError error={loadError} onRetry={onRetry} />;
  if (!templates) {
    return (
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3" aria-busy>
        {Array.from({ length: 3 }, (_, i) => (
          <Skeleton key={i} className="h-44 rounded-xl" />
        ))}
      </div>
    );
  }
  if (templates.length === 0) {
    return (
      <EmptyState
        icon={LayoutTemplate}
        title={t('vms.create.noTemplates')}
        description={t('vms.create.noTemplatesHint')}
        className="py-14"
      />
    );
  }
  return (
    <fieldset className="space-y-3">
      <legend className="sr-only">{t('vms.create.steps.template')}</legend>
      {error ? (
        <p className="text-[0.8125rem] font-medium text-destructive" role="alert">
          {error}
        </p>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
        {templates.map((tpl) => {
          const checked = tpl.id === selectedId;
          return (
            <label
              key={tpl.id}
              className={cn(
                'relative flex cursor-pointer flex-col gap-3 rounded-xl border bg-card p-4 shadow-sm transition-colors',
                'hover:border-primary/50 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-ring',
                checked && 'border-primary bg-primary/5 ring-1 ring-primary',
                !tpl.available && 'cursor-not-allowed opacity-60 hover:border-border',
              )}
              data-testid="vm-template-option"
              data-template-id={tpl.id}
              data-name={tpl.name}
              data-checked={checked || undefined}
            >
              <input
                type="radio"
                name="template"
                value={tpl.id}
                checked={checked}
                disabled={!tpl.available}
                onChange={() => onSelect(tpl)}
                className="sr-only"
              />
              <span className="flex items-start gap-3">
                <OsIcon icon={tpl.osIcon} />
                <span className="min-w-0 flex-1">
                  <span className="block truncate font-medium">{tpl.name}</span>
                  <span className="block truncate text-sm text-muted-foreground">{tpl.osLabel}</span>
                </span>
              </span>
              {tpl.description ? (
                <span className="line-clamp-2 text-sm text-muted-foreground">{tpl.description}</span>
              ) : null}
              <span className="mt-auto flex flex-wrap items-center gap-1.5">
                {tpl.cloudInit ? <Badge tone="info">{t('vms.create.cloudInit')}</Badge> : null}
                {tpl.visibility === 'admin' ? <Badge tone="primary">{t('vms.create.adminOnly')}</Badge> : null}
                {!tpl.available ? <Badge tone="warning">{t('vms.create.unavailable')}</Badge> : null}
              </span>
              {/* The price never breaks inside itself: where both do not fit, it takes its own line, to the right. */}
              <span className="flex flex-wrap items-end justify-between gap-x-3 gap-y-1 border-t pt-3 text-sm">
                <span className="min-w-0 text-muted-foreground tabular-nums">
                  {formatSize(tpl.defaults, t, format)}
                </span>
                <span className="ml-auto whitespace-nowrap text-right">
                  <span className="block font-semibold tabular-nums">
                    {formatHourly(tpl.priceRunningPerHour, t, locale)}
                  </span>
                  <span className="block text-xs text-muted-foreground">{t('vms.price.whileRunning')}</span>
                </span>
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
