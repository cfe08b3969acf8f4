'use client';

import type { AuditEvent } from '@uni-manager/contracts';
import { Skeleton } from '@/components/ui/skeleton';
import { useAuth } from '@/lib/auth/use-auth';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { actionStyle, toneSurface, toneText } from './action-style';
import { deviceLabel } from './device-label';
import { useActionLabel } from './event-names';
import { RelativeTime } from './event-time';

/** A compact, readable list of a user's own security events. */
export function EventList({ events, className }: { events: AuditEvent[]; className?: string }) {
  const { t } = useI18n();
  const actionLabel = useActionLabel();
  const { user } = useAuth();
  return (
    <ol className={cn('divide-y', className)} data-testid="event-list">
      {events.map((event) => {
        const { icon: Icon, tone } = actionStyle[event.action];
        const byOther = event.actorId !== null && event.actorId !== user?.id;
        // An admin's own list also holds what they did to others ("Account suspended"): name who.
        const onOther = event.targetType === 'user' && event.targetId !== null && event.targetId !== user?.id;
        const targetEmail = typeof event.details.email === 'string' ? event.details.email : event.targetId;
        const context = [
          byOther ? t('audit.byActor', { actor: event.actorEmail ?? t('common.system') }) : null,
          onOther ? t('audit.onTarget', { target: targetEmail ?? '' }) : null,
          event.ip,
          event.userAgent ? deviceLabel(event.userAgent, t) : null,
        ].filter(Boolean);
        return (
          <li key={event.id} className="flex items-start gap-3 py-3 first:pt-0 last:pb-0" data-action={event.action}>
            <span
              className={cn(
                'mt-0.5 flex size-8 shrink-0 items-center justify-center rounded-full border',
                toneSurface[tone],
              )}
            >
              <Icon className={cn('size-4', toneText[tone])} aria-hidden />
            </span>
            <div className="min-w-0 flex-1">
              <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-0.5">
                <p className="text-sm font-medium">{actionLabel(event)}</p>
                <RelativeTime iso={event.occurredAt} className="text-xs text-muted-foreground tabular-nums" />
              </div>
              {context.length ? (
                <p className="mt-0.5 truncate text-xs text-muted-foreground">{context.join(' · ')}</p>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

export function EventListSkeleton({ rows = 4 }: { rows?: number }) {
  return (
    <div className="space-y-4" aria-hidden>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex items-center gap-3">
          <Skeleton className="size-8 rounded-full" />
          <div className="flex-1 space-y-2">
            <Skeleton className="h-3.5 w-1/3" />
            <Skeleton className="h-3 w-1/2" />
          </div>
        </div>
      ))}
    </div>
  );
}
