'use client';

import type { VmOperation } from '@uni-manager/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { History } from 'lucide-react';
import { useState } from 'react';
import { RelativeTime } from '@/components/audit/event-time';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Pagination } from '@/components/ui/pagination';
import { QueryError } from '@/components/ui/query-error';
import { Skeleton } from '@/components/ui/skeleton';
import { queryKeys } from '@/lib/api/query-keys';
import { fetchVmOperations } from '@/lib/api/vms';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { operationIcon } from './action-visuals';
import { vmErrorText } from './vm-errors';
import { stepDetail, OperationStatusBadge } from './vm-status';

const PAGE_SIZE = 10;

interface VmTimelineProps {
  vmId: string;
  /** How often to look again: the VM page's own pace (none while the live stream keeps it fresh). */
  refetchInterval: number | false;
}

/** The VM's operations, newest first: who asked for what, when, and how it ended. */
export function VmTimeline({ vmId, refetchInterval }: VmTimelineProps) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const operations = useQuery({
    queryKey: queryKeys.vmOperations(vmId, page),
    queryFn: ({ signal }) => fetchVmOperations(vmId, { page, pageSize: PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
    refetchInterval,
  });
  const data = operations.data;

  return (
    <Card className="overflow-hidden" aria-labelledby="vm-timeline-title" data-testid="vm-timeline">
      <CardHeader className="pb-4 sm:pb-4">
        <CardTitle id="vm-timeline-title">{t('vms.timeline.title')}</CardTitle>
        <CardDescription>{t('vms.timeline.description')}</CardDescription>
      </CardHeader>
      <div className="border-t">
        {operations.isPending ? (
          <div className="space-y-4 p-5 sm:p-6" aria-busy>
            {Array.from({ length: 3 }, (_, i) => (
              <Skeleton key={i} className="h-12" />
            ))}
          </div>
        ) : operations.isError && !data ? (
          <QueryError error={operations.error} onRetry={() => void operations.refetch()} />
        ) : !data || data.items.length === 0 ? (
          <EmptyState icon={History} title={t('vms.timeline.empty')} />
        ) : (
          <ol className={cn('divide-y', operations.isPlaceholderData && 'opacity-60')}>
            {data.items.map((op) => (
              <TimelineItem key={op.id} op={op} />
            ))}
          </ol>
        )}
      </div>
      {data && data.total > PAGE_SIZE ? (
        <div className="border-t px-4 py-3">
          <Pagination page={page} pageSize={PAGE_SIZE} total={data.total} onPageChange={setPage} />
        </div>
      ) : null}
    </Card>
  );
}

function TimelineItem({ op }: { op: VmOperation }) {
  const { t, dict, format } = useI18n();
  const Icon = operationIcon[op.kind];
  const running = op.status === 'running' || op.status === 'queued';
  const detail = running ? stepDetail(op, t, format) : null;
  const took = op.startedAt && op.finishedAt ? (Date.parse(op.finishedAt) - Date.parse(op.startedAt)) / 1000 : null;
  const errorTitle = op.error ? vmErrorText(op.error, t, dict) : null;

  return (
    <li className="flex gap-3 px-5 py-4 sm:px-6" data-testid="vm-operation" data-kind={op.kind} data-status={op.status}>
      <span
        aria-hidden
        className={cn(
          'mt-0.5 flex size-8 shrink-0 items-center justify-center rounded-full border bg-muted [&_svg]:size-4',
          op.status === 'failed' && 'border-destructive/30 bg-destructive/10 text-destructive',
          op.status === 'succeeded' && 'text-muted-foreground',
          running && 'border-info/30 bg-info/10 text-info',
        )}
      >
        <Icon />
      </span>
      <div className="min-w-0 flex-1 space-y-1">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <span className="font-medium">{t(`vms.operationKinds.${op.kind}`)}</span>
          <OperationStatusBadge op={op} />
          {detail ? <span className="text-xs tabular-nums text-muted-foreground">{detail}</span> : null}
        </div>
        <p className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-muted-foreground">
          <span>{op.actor ? t('vms.timeline.by', { actor: op.actor.email }) : t('vms.timeline.byPlatform')}</span>
          <RelativeTime iso={op.createdAt} />
          {took !== null ? <span>{t('vms.timeline.took', { duration: format.duration(took) })}</span> : null}
          {op.attempts > 1 ? <span>{t('vms.timeline.attempts', { count: op.attempts })}</span> : null}
        </p>
        {op.error ? (
          <p className="text-[0.8125rem] text-destructive">
            {errorTitle}
            {errorTitle !== op.error.message ? (
              <span className="block text-xs text-muted-foreground">{op.error.message}</span>
            ) : null}
          </p>
        ) : null}
      </div>
    </li>
  );
}
