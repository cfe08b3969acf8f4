'use client';

import type { AuditEvent } from '@uni-manager/contracts';
import type { ReactNode } from 'react';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { JsonBlock } from './json-block';

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
      <dd className="mt-0.5 break-all font-mono text-xs">{children}</dd>
    </div>
  );
}

/** Everything recorded with one event; before/after snapshots side by side when the API stored them. */
export function AuditEventDetails({ event }: { event: AuditEvent }) {
  const { t } = useI18n();
  const none = t('common.none');
  const { before, after, ...rest } = event.details;
  const hasDiff = before !== undefined || after !== undefined;
  const hasRest = Object.keys(rest).length > 0;

  return (
    <div className="space-y-4">
      <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2 xl:grid-cols-3">
        <Item label={t('audit.eventId')}>{event.id}</Item>
        <Item label={t('audit.requestId')}>{event.requestId ?? none}</Item>
        <Item label={t('audit.ip')}>{event.ip ?? none}</Item>
        <Item label={t('audit.actorId')}>{event.actorId ?? none}</Item>
        <Item label={t('audit.target')}>
          {event.targetType || event.targetId ? `${event.targetType ?? '?'}:${event.targetId ?? '?'}` : none}
        </Item>
        <div className="sm:col-span-2 xl:col-span-3">
          <Item label={t('audit.userAgent')}>{event.userAgent ?? none}</Item>
        </div>
      </dl>
      {hasDiff ? (
        // A creation has only an "after", a removal only a "before": no empty half to compare with.
        <div className={cn('grid gap-3', before !== undefined && after !== undefined && 'md:grid-cols-2')}>
          {before !== undefined ? <JsonBlock label={t('audit.before')} value={before} /> : null}
          {after !== undefined ? <JsonBlock label={t('audit.after')} value={after} /> : null}
        </div>
      ) : null}
      {hasRest ? <JsonBlock label={hasDiff ? t('audit.otherDetails') : t('audit.details')} value={rest} /> : null}
      {!hasDiff && !hasRest ? <p className="text-xs text-muted-foreground">{t('audit.noDetails')}</p> : null}
    </div>
  );
}
