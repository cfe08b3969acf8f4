'use client';

import { useQuery } from '@tanstack/react-query';
import { Plus, Server as ServerIcon } from 'lucide-react';
import { useState } from 'react';
import { PageHeader } from '@/components/layout/page-header';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryError } from '@/components/ui/query-error';
import { queryKeys } from '@/lib/api/query-keys';
import { fetchServers } from '@/lib/api/servers';
import { useT } from '@/lib/i18n/i18n-provider';
import { SERVERS_REFRESH_MS } from './refresh';
import { useServerActions } from './server-dialogs';
import { ServerFormDialog } from './server-form-dialog';
import { ServersTable } from './servers-table';

export function ServersPage() {
  const t = useT();
  const [adding, setAdding] = useState(false);
  const { run, dialogs, busyId } = useServerActions();
  const servers = useQuery({
    queryKey: queryKeys.adminServers,
    queryFn: ({ signal }) => fetchServers(signal),
    refetchInterval: SERVERS_REFRESH_MS,
  });

  const addButton = (testId: string) => (
    <Button onClick={() => setAdding(true)} data-testid={testId}>
      <Plus aria-hidden />
      {t('servers.add')}
    </Button>
  );

  return (
    <>
      <PageHeader title={t('servers.title')} description={t('servers.subtitle')} actions={addButton('add-server')} />
      <Card className="overflow-hidden">
        {servers.isError && !servers.data ? (
          <QueryError error={servers.error} onRetry={() => void servers.refetch()} />
        ) : servers.data && servers.data.length === 0 ? (
          <EmptyState
            icon={ServerIcon}
            title={t('servers.empty.title')}
            description={t('servers.empty.description')}
            action={addButton('add-server-empty')}
            className="py-16"
          />
        ) : (
          <ServersTable servers={servers.data} onAction={run} busyId={busyId} />
        )}
      </Card>
      {servers.data && servers.data.length > 0 ? (
        <p className="mt-3 text-xs text-muted-foreground">{t('servers.liveHint')}</p>
      ) : null}
      <ServerFormDialog open={adding} onClose={() => setAdding(false)} />
      {dialogs}
    </>
  );
}
