'use client';

import { vmMetricsQuerySchema, type Vm } from '@uni-manager/contracts';
import { useQuery } from '@tanstack/react-query';
import { ArrowLeft, MonitorX } from 'lucide-react';
import Link from 'next/link';
import dynamic from 'next/dynamic';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { VmBillingCard } from '@/components/billing/vm-billing-card';
import { PageHeader } from '@/components/layout/page-header';
import { Alert } from '@/components/ui/alert';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryError } from '@/components/ui/query-error';
import { Skeleton } from '@/components/ui/skeleton';
import { isApiError } from '@/lib/api/errors';
import { queryKeys } from '@/lib/api/query-keys';
import { fetchVm, type MetricsRange } from '@/lib/api/vms';
import { useAuth } from '@/lib/auth/use-auth';
import { useI18n, useT } from '@/lib/i18n/i18n-provider';
import { LIVE_SAFETY_POLL_MS, useFallbackPoll } from '@/lib/live/live-provider';
import { readParam, useSearchState } from '@/lib/use-search-state';
import { BUSY_REFRESH_MS, IDLE_REFRESH_MS, isBusy } from './refresh';
import { VmActionBar } from './vm-action-bar';
import { VmDetailsCard } from './vm-details-card';
import { useVmActions } from './vm-dialogs';
import { formatSize } from './vm-format';
import { VmProgress } from './vm-progress';
import { VmStatusBadge } from './vm-status';
import { VmTimeline } from './vm-timeline';

/** Recharts is the page's largest dependency: it comes after the page, behind a chart-shaped placeholder. */
const VmCharts = dynamic(() => import('./vm-charts').then((m) => m.VmCharts), {
  loading: () => <Skeleton className="h-80 rounded-xl" aria-hidden />,
});

interface DetailSearch {
  range: MetricsRange;
}
const rangeSchema = vmMetricsQuerySchema.shape.range;
const parseSearch = (params: URLSearchParams): DetailSearch => ({
  range: readParam(params, 'range', rangeSchema, '1h'),
});
const serializeSearch = (search: DetailSearch) =>
  new URLSearchParams(search.range === '1h' ? {} : { range: search.range });

function BackLink({ href = '/vms' }: { href?: string }) {
  const t = useT();
  return (
    <Link
      href={href}
      className="inline-flex items-center gap-1.5 text-sm text-muted-foreground hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
    >
      <ArrowLeft className="size-4" aria-hidden />
      {t('vms.detail.back')}
    </Link>
  );
}

/** Why the VM is not in a normal state, and what happens next. */
function StateNotice({ vm }: { vm: Vm }) {
  const { t, format } = useI18n();
  switch (vm.status) {
    case 'lost':
      return (
        <Alert tone="destructive" data-testid="vm-lost-notice">
          <p className="font-medium">{t('vms.notice.lostTitle')}</p>
          <p className="mt-0.5 text-muted-foreground">
            {t('vms.notice.lost')}
            {vm.lostAt ? ` ${t('vms.notice.since', { date: format.dateTime(vm.lostAt) })}` : null}
          </p>
        </Alert>
      );
    case 'failed':
      return (
        <Alert tone="destructive" data-testid="vm-failed-notice">
          <p className="font-medium">{t('vms.notice.failedTitle')}</p>
          <p className="mt-0.5 text-muted-foreground">
            {vm.failureMessage ?? t('vms.notice.failedNoReason')} {t('vms.notice.failedNext')}
          </p>
        </Alert>
      );
    case 'deleted':
      return (
        <Alert tone="info" data-testid="vm-deleted-notice">
          {t('vms.notice.deleted')}
        </Alert>
      );
    default:
      return null;
  }
}

/**
 * The page's own shape while the VM loads, as the list draws its rows: the
 * header, the action bar, the details and billing cards and the charts, so
 * nothing jumps when the data arrives.
 */
function VmDetailSkeleton() {
  const t = useT();
  const item = (key: number, wide = false) => (
    <div key={key} className={wide ? 'space-y-2 sm:col-span-2' : 'space-y-2'}>
      <Skeleton className="h-3 w-20" />
      <Skeleton className={wide ? 'h-4 w-64 max-w-full' : 'h-4 w-32'} />
    </div>
  );
  return (
    <div aria-busy data-testid="vm-detail-skeleton">
      <span className="sr-only">{t('common.loading')}</span>
      <PageHeader
        eyebrow={<BackLink />}
        title={
          <span className="flex items-center gap-3" aria-hidden>
            <Skeleton className="h-7 w-48" />
            <Skeleton className="h-5 w-20 rounded-full" />
          </span>
        }
        description={<Skeleton className="h-4 w-64 max-w-full" aria-hidden />}
      />
      <div className="space-y-6" aria-hidden>
        <div className="flex flex-wrap gap-2">
          {[24, 20, 20, 24, 20].map((w, i) => (
            <Skeleton key={i} className="h-8 rounded-md" style={{ width: `${w * 4}px` }} />
          ))}
        </div>
        <div className="grid gap-6 lg:grid-cols-3">
          <Card className="lg:col-span-2">
            <CardHeader>
              <Skeleton className="h-5 w-24" />
            </CardHeader>
            <CardContent className="grid gap-x-6 gap-y-5 sm:grid-cols-2">
              {[true, false, false, true, false, false].map((wide, i) => item(i, wide))}
            </CardContent>
          </Card>
          <Card className="self-start">
            <CardHeader>
              <Skeleton className="h-5 w-28" />
            </CardHeader>
            <CardContent className="space-y-3">
              <Skeleton className="h-4 w-full" />
              <Skeleton className="h-4 w-full" />
              <Skeleton className="h-4 w-2/3" />
            </CardContent>
          </Card>
        </div>
        <Card>
          <CardHeader>
            <Skeleton className="h-5 w-32" />
          </CardHeader>
          <CardContent className="grid gap-6 lg:grid-cols-2">
            <Skeleton className="h-56 rounded-lg" />
            <Skeleton className="h-56 rounded-lg" />
          </CardContent>
        </Card>
      </div>
    </div>
  );
}

export function VmDetailPage({ id }: { id: string }) {
  const { t, format } = useI18n();
  const router = useRouter();
  const isAdmin = useAuth().user?.role === 'admin';
  const [search, setSearch] = useSearchState(parseSearch, serializeSearch);
  const { run, dialogs, busyId } = useVmActions({ onDeleted: () => router.push('/vms') });
  const poll = useFallbackPoll();
  const query = useQuery({
    queryKey: queryKeys.vm(id),
    queryFn: ({ signal }) => fetchVm(id, signal),
    refetchInterval: (q) =>
      poll(q.state.data && isBusy(q.state.data) ? BUSY_REFRESH_MS : IDLE_REFRESH_MS, LIVE_SAFETY_POLL_MS),
  });

  // The operation seen running on this visit stays on screen when it ends, so its outcome is not missed.
  const [watched, setWatched] = useState<string | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const active = query.data?.activeOperation ?? null;
  if (active && watched !== active.id) setWatched(active.id);

  if (query.isPending) return <VmDetailSkeleton />;

  if (query.isError) {
    const missing =
      isApiError(query.error) && (query.error.code === 'NOT_FOUND' || query.error.code === 'VALIDATION_FAILED');
    return (
      <div className="space-y-6">
        <BackLink />
        <Card>
          {missing ? (
            <EmptyState icon={MonitorX} title={t('vms.detail.notFound')} description={t('vms.detail.notFoundHint')} />
          ) : (
            <QueryError error={query.error} onRetry={() => void query.refetch()} />
          )}
        </Card>
      </div>
    );
  }

  const vm = query.data;
  const last = vm.lastOperation;
  const shown = active ?? (last && last.id === watched && last.id !== dismissed ? last : null);
  // A failure the user did not watch happen is still worth saying, once, above the details.
  const unseenFailure =
    !shown && last?.status === 'failed' && last.id !== dismissed && vm.status === 'active' ? last : null;
  const busy = isBusy(vm);

  return (
    <>
      <PageHeader
        eyebrow={<BackLink />}
        title={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
            <span className="min-w-0 break-all" data-testid="vm-title">
              {vm.name}
            </span>
            <span className="text-base font-normal tracking-normal">
              <VmStatusBadge vm={vm} />
            </span>
          </span>
        }
        description={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            {vm.template ? <span>{vm.template.osLabel}</span> : null}
            <span className="tabular-nums">{formatSize(vm, t, format)}</span>
          </span>
        }
      />
      <div className="space-y-6">
        <VmActionBar vm={vm} onAction={(kind) => run(vm, kind)} sending={busyId === vm.id} />
        <StateNotice vm={vm} />
        {shown ? <VmProgress op={shown} onDismiss={() => setDismissed(shown.id)} /> : null}
        {unseenFailure ? <VmProgress op={unseenFailure} onDismiss={() => setDismissed(unseenFailure.id)} /> : null}
        <div className="grid gap-6 lg:grid-cols-3">
          <VmDetailsCard vm={vm} isAdmin={isAdmin} className="lg:col-span-2" />
          <VmBillingCard vm={vm} className="self-start" />
        </div>
        {vm.status !== 'deleted' ? (
          <VmCharts
            vmId={vm.id}
            powerState={vm.powerState}
            range={search.range}
            onRangeChange={(range) => setSearch({ range }, { replace: true })}
          />
        ) : null}
        <VmTimeline vmId={vm.id} refetchInterval={poll(busy ? BUSY_REFRESH_MS : IDLE_REFRESH_MS * 3)} />
      </div>
      {dialogs}
    </>
  );
}
