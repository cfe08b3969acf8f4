'use client';

import type { Server } from '@uni-manager/contracts';
import { useQuery } from '@tanstack/react-query';
import { ArrowLeft, Pencil, PlugZap, ServerOff, Trash2 } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { PageHeader } from '@/components/layout/page-header';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryError } from '@/components/ui/query-error';
import { Skeleton } from '@/components/ui/skeleton';
import { isApiError } from '@/lib/api/errors';
import { queryKeys } from '@/lib/api/query-keys';
import { fetchServer } from '@/lib/api/servers';
import { useI18n, useT } from '@/lib/i18n/i18n-provider';
import { healthReasonText } from './health-reason';
import { useSearchState } from '@/lib/use-search-state';
import { HealthBadge, nodesOnline, ServerFlags } from './health-badge';
import { HealthCharts } from './health-charts';
import { NodesTable } from './nodes-table';
import { SERVERS_REFRESH_MS } from './refresh';
import { useServerActions } from './server-dialogs';
import { ServerDetailsCard, ServerOperationCard } from './server-overview';
import { parseServerSearch, serializeServerSearch } from './server-search';

function BackLink() {
  const t = useT();
  return (
    <Link
      href="/admin/servers"
      className="inline-flex items-center gap-1.5 text-sm text-muted-foreground hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
    >
      <ArrowLeft className="size-4" aria-hidden />
      {t('servers.detail.back')}
    </Link>
  );
}

/** Why the server is not healthy, in the monitor's words, or that it has not been checked yet. */
function HealthNotice({ server }: { server: Server }) {
  const { t } = useI18n();
  if (server.health === 'healthy') return null;
  const tone = server.health === 'offline' ? 'destructive' : server.health === 'degraded' ? 'warning' : 'info';
  return (
    <Alert tone={tone} data-testid="health-notice">
      <p className="font-medium">{t(`servers.detail.healthNotice.${server.health}`)}</p>
      <p className="mt-0.5 text-muted-foreground">
        {healthReasonText(server, t) ?? (server.lastCheckedAt ? t('common.none') : t('servers.detail.notCheckedYet'))}
      </p>
    </Alert>
  );
}

export function ServerDetailPage({ id }: { id: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const [search, setSearch] = useSearchState(parseServerSearch, serializeServerSearch);
  const { run, dialogs, busyId } = useServerActions({ onRemoved: () => router.push('/admin/servers') });
  const query = useQuery({
    queryKey: queryKeys.adminServer(id),
    queryFn: ({ signal }) => fetchServer(id, signal),
    refetchInterval: SERVERS_REFRESH_MS,
  });

  if (query.isPending) {
    return (
      <div className="space-y-6" aria-busy>
        <BackLink />
        <div className="space-y-2">
          <Skeleton className="h-7 w-56" />
          <Skeleton className="h-4 w-80 max-w-full" />
        </div>
        <div className="grid gap-6 lg:grid-cols-3">
          <Skeleton className="h-64 rounded-xl lg:col-span-2" />
          <Skeleton className="h-64 rounded-xl" />
        </div>
        <Skeleton className="h-48 w-full rounded-xl" />
      </div>
    );
  }

  if (query.isError) {
    const missing =
      isApiError(query.error) && (query.error.code === 'NOT_FOUND' || query.error.code === 'VALIDATION_FAILED');
    return (
      <div className="space-y-6">
        <BackLink />
        <Card>
          {missing ? (
            <EmptyState icon={ServerOff} title={t('servers.detail.notFound')} />
          ) : (
            <QueryError error={query.error} onRetry={() => void query.refetch()} />
          )}
        </Card>
      </div>
    );
  }

  const server = query.data;
  const { online, total } = nodesOnline(server);
  return (
    <>
      <PageHeader
        eyebrow={<BackLink />}
        title={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
            <span className="min-w-0 break-all" data-testid="server-title">
              {server.name}
            </span>
            <span className="flex flex-wrap items-center gap-1.5 text-base font-normal tracking-normal">
              <HealthBadge health={server.health} reason={healthReasonText(server, t)} />
              <ServerFlags server={server} />
            </span>
          </span>
        }
        description={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span className="font-mono text-[0.8125rem]">{server.url}</span>
            {server.pveVersion ? <span>{t('servers.detail.versionLine', { version: server.pveVersion })}</span> : null}
          </span>
        }
        actions={
          <>
            <Button variant="outline" size="sm" onClick={() => run(server, 'test')} data-testid="server-test">
              <PlugZap aria-hidden />
              {t('servers.actions.test')}
            </Button>
            <Button variant="outline" size="sm" onClick={() => run(server, 'edit')} data-testid="server-edit">
              <Pencil aria-hidden />
              {t('servers.actions.edit')}
            </Button>
            <Button
              variant="outline"
              size="sm"
              onClick={() => run(server, 'remove')}
              className="border-destructive/40 text-destructive hover:bg-destructive/10 hover:text-destructive"
              data-testid="remove-server"
            >
              <Trash2 aria-hidden />
              {t('servers.actions.remove')}
            </Button>
          </>
        }
      />
      <div className="space-y-6">
        <HealthNotice server={server} />
        <div className="grid gap-6 lg:grid-cols-3">
          <ServerDetailsCard server={server} className="lg:col-span-2" />
          <ServerOperationCard server={server} busy={busyId === server.id} onAction={(kind) => run(server, kind)} />
        </div>
        <Card className="overflow-hidden" aria-labelledby="server-nodes-title">
          <CardHeader className="pb-4 sm:pb-4">
            <CardTitle id="server-nodes-title">{t('servers.detail.nodes')}</CardTitle>
            <CardDescription>
              {total > 0 ? t('servers.detail.nodesSummary', { online, total }) : t('servers.detail.nodesEmpty')}
            </CardDescription>
          </CardHeader>
          {total > 0 ? (
            <div className="border-t">
              <NodesTable nodes={server.nodes} />
            </div>
          ) : null}
        </Card>
        <HealthCharts
          serverId={server.id}
          range={search.range}
          onRangeChange={(range) => setSearch({ range }, { replace: true })}
        />
      </div>
      {dialogs}
    </>
  );
}
