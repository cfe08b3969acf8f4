'use client';

import type { CatalogTemplate } from '@uni-manager/contracts';
import { Cloud, Cpu, HardDrive, MemoryStick, Plus, ShieldCheck, TriangleAlert } from 'lucide-react';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { OsIcon } from './os-icon';
import { coresText, creditsText, diskText, memoryText, PERIOD_HOURS } from './template-format';

function Spec({ icon, children }: { icon: ReactNode; children: ReactNode }) {
  return (
    <li className="flex items-center gap-1.5 rounded-md border bg-muted/40 px-2 py-1 text-xs font-medium [&_svg]:size-3.5 [&_svg]:text-muted-foreground">
      {icon}
      {children}
    </li>
  );
}

/** What running it costs, by the hour and over a day and a month; what a stopped VM costs, smaller. */
export function TemplatePrice({ template, className }: { template: CatalogTemplate; className?: string }) {
  const { t, locale } = useI18n();
  const running = template.priceRunningPerHour;
  const stopped = template.priceStoppedPerHour;
  return (
    <div className={cn('space-y-1', className)} data-testid="template-price">
      {running === 0 ? (
        <p className="text-lg font-semibold tracking-tight">{t('templates.price.freeRunning')}</p>
      ) : (
        <>
          <p className="flex items-baseline gap-1.5">
            <span className="text-lg font-semibold tabular-nums tracking-tight">{creditsText(running, t, locale)}</span>
            <span className="text-sm text-muted-foreground">{t('templates.price.perHour')}</span>
          </p>
          <p className="text-xs text-muted-foreground tabular-nums">
            {t('templates.price.dayMonth', {
              day: creditsText(running * PERIOD_HOURS.day, t, locale),
              month: creditsText(running * PERIOD_HOURS.month, t, locale),
            })}
          </p>
        </>
      )}
      <p className="text-[0.6875rem] text-muted-foreground tabular-nums">
        {stopped === 0
          ? t('templates.price.stoppedFree')
          : t('templates.price.stopped', { amount: creditsText(stopped, t, locale) })}
      </p>
    </div>
  );
}

export function TemplateCard({ template }: { template: CatalogTemplate }) {
  const { t, format } = useI18n();
  const headingId = `template-${template.id}`;
  return (
    <Card
      className={cn('flex flex-col', !template.available && 'opacity-90')}
      aria-labelledby={headingId}
      data-testid="template-card"
      data-template-id={template.id}
      data-available={template.available}
    >
      <div className="flex flex-1 flex-col gap-4 p-5">
        <div className="flex items-start gap-3">
          <OsIcon icon={template.osIcon} size="lg" />
          <div className="min-w-0 flex-1">
            <h2 id={headingId} className="truncate text-base font-semibold leading-tight tracking-tight">
              {template.name}
            </h2>
            <p className="mt-0.5 truncate text-sm text-muted-foreground">{template.osLabel}</p>
            <div className="mt-2 flex flex-wrap gap-1.5">
              {template.cloudInit ? (
                <Badge tone="info" title={t('templates.catalog.cloudInitHint')}>
                  <Cloud aria-hidden />
                  {t('templates.catalog.cloudInit')}
                </Badge>
              ) : null}
              {template.visibility === 'admin' ? (
                <Badge tone="primary" title={t('templates.visibilityHints.admin')}>
                  <ShieldCheck aria-hidden />
                  {t('templates.visibility.admin')}
                </Badge>
              ) : null}
            </div>
          </div>
        </div>

        {template.description ? (
          <p className="line-clamp-3 text-sm text-muted-foreground">{template.description}</p>
        ) : null}

        <ul className="flex flex-wrap gap-1.5" aria-label={t('templates.catalog.defaultSize')}>
          <Spec icon={<Cpu aria-hidden />}>{coresText(template.defaults.cores, t)}</Spec>
          <Spec icon={<MemoryStick aria-hidden />}>{memoryText(template.defaults.memoryMib, t, format)}</Spec>
          <Spec icon={<HardDrive aria-hidden />}>{diskText(template.defaults.diskGib, t, format)}</Spec>
        </ul>

        <TemplatePrice template={template} className="mt-auto" />
      </div>

      <div className="flex flex-col gap-2 border-t bg-muted/30 px-5 py-3.5 sm:flex-row sm:items-center sm:justify-between">
        {template.available ? (
          <>
            <span className="text-xs text-muted-foreground">
              {t('templates.catalog.resizable', {
                cores: format.number(template.bounds.maxCores),
                memory: memoryText(template.bounds.maxMemoryMib, t, format),
              })}
            </span>
            <Button asChild size="sm" data-testid="create-vm-from-template">
              <Link href={`/vms/new?template=${encodeURIComponent(template.id)}`}>
                <Plus aria-hidden />
                {t('templates.catalog.createVm')}
              </Link>
            </Button>
          </>
        ) : (
          <>
            <span
              className="flex items-center gap-1.5 text-xs font-medium text-warning"
              id={`${headingId}-unavailable`}
            >
              <TriangleAlert className="size-3.5 shrink-0" aria-hidden />
              {t('templates.catalog.unavailable')}
            </span>
            <Button
              size="sm"
              disabled
              aria-describedby={`${headingId}-unavailable`}
              data-testid="create-vm-from-template"
            >
              <Plus aria-hidden />
              {t('templates.catalog.createVm')}
            </Button>
          </>
        )}
      </div>
    </Card>
  );
}
