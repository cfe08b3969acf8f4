'use client';

import type { AuditEvent } from '@uni-manager/contracts';
import { ChevronRight } from 'lucide-react';
import Link from 'next/link';
import { Fragment, useState, type MouseEvent } from 'react';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { ActionBadge } from './action-label';
import { AuditEventDetails } from './audit-event-details';
import { shortId, useEventNames, type EventNames } from './event-names';

const COLUMNS = 6;

function actorLabel(event: AuditEvent, names: EventNames): string | null {
  return names.actor(event) ?? (event.actorId ? shortId(event.actorId) : null);
}

function Actor({ event, names }: { event: AuditEvent; names: EventNames }) {
  const { t } = useI18n();
  const label = actorLabel(event, names);
  if (!label) return <span className="italic text-muted-foreground">{t('common.system')}</span>;
  if (!event.actorId) return <span>{label}</span>;
  return (
    <Link href={`/admin/users/${event.actorId}`} className="underline-offset-4 hover:underline" title={event.actorId}>
      {label}
    </Link>
  );
}

/** The target by name or email where it is known, its id kept beside it (shortened, whole on hover). */
function Target({ event, names }: { event: AuditEvent; names: EventNames }) {
  const { t } = useI18n();
  if (!event.targetType && !event.targetId) return <span className="text-muted-foreground">{t('common.none')}</span>;
  const id = event.targetId ? shortId(event.targetId) : '';
  const name = names.target(event);
  const body = (
    <>
      <span className="text-muted-foreground">{event.targetType}</span>
      {name ? <span className="max-w-40 truncate font-medium">{name}</span> : null}
      {/* Beside a name the id is a detail: shown where the table has room, always on hover. */}
      {id ? (
        <span
          className={cn('font-mono text-xs', name && 'hidden text-muted-foreground @6xl:inline')}
          data-testid="audit-target-id"
        >
          {id}
        </span>
      ) : null}
    </>
  );
  const href =
    event.targetType === 'user' && event.targetId
      ? `/admin/users/${event.targetId}`
      : // A removed server has no page left to open.
        event.targetType === 'server' && event.targetId && event.action !== 'server.deleted'
        ? `/admin/servers/${event.targetId}`
        : undefined;
  if (href) {
    return (
      <Link
        href={href}
        className="inline-flex items-center gap-1.5 hover:underline"
        title={event.targetId ?? undefined}
      >
        {body}
      </Link>
    );
  }
  return (
    <span className="inline-flex items-center gap-1.5" title={event.targetId ?? undefined}>
      {body}
    </span>
  );
}

interface AuditTableProps {
  events: AuditEvent[] | undefined;
  stale?: boolean;
  /** Row count of the loading skeleton. */
  skeletonRows?: number;
}

export function AuditTable({ events, stale, skeletonRows = 8 }: AuditTableProps) {
  const { t, format } = useI18n();
  const names = useEventNames();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());

  function toggle(id: string) {
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  function onRowClick(event: MouseEvent<HTMLTableRowElement>, id: string) {
    // A click on a link or the toggle itself does its own thing.
    if ((event.target as HTMLElement).closest('a, button')) return;
    toggle(id);
  }

  // Columns give way by the table's own width (a container query), since it appears both full-page and in cards.
  return (
    <div className="@container">
      <Table data-testid="audit-table" aria-label={t('audit.table')} aria-busy={stale || events === undefined}>
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead className="w-10">
              <span className="sr-only">{t('audit.details')}</span>
            </TableHead>
            <TableHead className="hidden @xl:table-cell">{t('audit.columns.time')}</TableHead>
            <TableHead className="hidden @xl:table-cell">{t('audit.columns.actor')}</TableHead>
            <TableHead>{t('audit.columns.action')}</TableHead>
            <TableHead className="hidden @2xl:table-cell">{t('audit.columns.target')}</TableHead>
            <TableHead className="hidden @4xl:table-cell">{t('audit.columns.ip')}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody className={cn(stale && 'opacity-60 transition-opacity')}>
          {events === undefined
            ? Array.from({ length: skeletonRows }, (_, i) => (
                <TableRow key={i} aria-hidden>
                  <TableCell />
                  <TableCell className="hidden @xl:table-cell">
                    <Skeleton className="h-4 w-36" />
                  </TableCell>
                  <TableCell className="hidden @xl:table-cell">
                    <Skeleton className="h-4 w-40" />
                  </TableCell>
                  <TableCell>
                    <Skeleton className="h-5 w-28 rounded-full" />
                  </TableCell>
                  <TableCell className="hidden @2xl:table-cell">
                    <Skeleton className="h-4 w-24" />
                  </TableCell>
                  <TableCell className="hidden @4xl:table-cell">
                    <Skeleton className="h-4 w-24" />
                  </TableCell>
                </TableRow>
              ))
            : events.map((event) => {
                const open = expanded.has(event.id);
                const detailsId = `audit-event-${event.id}`;
                return (
                  <Fragment key={event.id}>
                    <TableRow
                      data-testid="audit-row"
                      data-action={event.action}
                      data-state={open ? 'selected' : undefined}
                      onClick={(e) => onRowClick(e, event.id)}
                      className={cn('cursor-pointer', open && 'border-b-0')}
                    >
                      <TableCell className="pr-0">
                        <button
                          type="button"
                          onClick={() => toggle(event.id)}
                          aria-expanded={open}
                          aria-controls={open ? detailsId : undefined}
                          aria-label={
                            open ? t('audit.collapse', { id: event.id }) : t('audit.expand', { id: event.id })
                          }
                          className="flex size-7 items-center justify-center rounded-md text-muted-foreground hover:bg-accent hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
                          data-testid="audit-row-toggle"
                        >
                          <ChevronRight
                            className={cn('size-4 transition-transform', open && 'rotate-90')}
                            aria-hidden
                          />
                        </button>
                      </TableCell>
                      <TableCell className="hidden whitespace-nowrap tabular-nums text-muted-foreground @xl:table-cell">
                        <time dateTime={event.occurredAt}>{format.preciseDateTime(event.occurredAt)}</time>
                      </TableCell>
                      <TableCell className="hidden max-w-60 truncate @xl:table-cell">
                        <Actor event={event} names={names} />
                      </TableCell>
                      <TableCell className="max-w-0 @xl:max-w-none">
                        <ActionBadge event={event} />
                        {/* Narrow tables drop the time and actor columns; CSS draws them here so the text is in the DOM once. */}
                        <div
                          aria-hidden
                          data-text={`${format.preciseDateTime(event.occurredAt)} · ${actorLabel(event, names) ?? t('common.system')}`}
                          className="mt-1 truncate text-xs text-muted-foreground before:content-[attr(data-text)] @xl:hidden"
                        />
                      </TableCell>
                      <TableCell className="hidden whitespace-nowrap @2xl:table-cell">
                        <Target event={event} names={names} />
                      </TableCell>
                      <TableCell className="hidden font-mono text-xs text-muted-foreground @4xl:table-cell">
                        {event.ip ?? t('common.none')}
                      </TableCell>
                    </TableRow>
                    {open ? (
                      <TableRow
                        id={detailsId}
                        data-state="selected"
                        className="hover:bg-muted"
                        data-testid="audit-row-details"
                      >
                        <TableCell colSpan={COLUMNS} className="pb-5 pt-1">
                          <AuditEventDetails event={event} />
                        </TableCell>
                      </TableRow>
                    ) : null}
                  </Fragment>
                );
              })}
        </TableBody>
      </Table>
    </div>
  );
}
