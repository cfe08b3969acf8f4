'use client';

import type { ListAuditQuery } from '@uni-manager/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ScrollText } from 'lucide-react';
import { useState } from 'react';
import { AuditTable } from '@/components/audit/audit-table';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Pagination } from '@/components/ui/pagination';
import { QueryError } from '@/components/ui/query-error';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { fetchAudit } from '@/lib/api/audit';
import { queryKeys } from '@/lib/api/query-keys';
import { useT } from '@/lib/i18n/i18n-provider';

const PAGE_SIZE = 10;

/** One paginated slice of the audit log, e.g. everything done to, or by, one user. */
function AuditSlice({ filter }: { filter: Pick<ListAuditQuery, 'targetId' | 'actorId'> }) {
  const t = useT();
  const [page, setPage] = useState(1);
  const query: ListAuditQuery = { ...filter, page, pageSize: PAGE_SIZE };
  const audit = useQuery({
    queryKey: queryKeys.adminAudit(query),
    queryFn: ({ signal }) => fetchAudit(query, signal),
    placeholderData: keepPreviousData,
  });

  if (audit.isError && !audit.data) return <QueryError error={audit.error} onRetry={() => void audit.refetch()} />;
  if (audit.data && audit.data.items.length === 0) return <EmptyState icon={ScrollText} title={t('audit.empty')} />;
  return (
    <>
      <AuditTable events={audit.data?.items} stale={audit.isPlaceholderData} skeletonRows={5} />
      {audit.data && audit.data.total > PAGE_SIZE ? (
        <div className="border-t px-4 py-3">
          <Pagination page={page} pageSize={PAGE_SIZE} total={audit.data.total} onPageChange={setPage} />
        </div>
      ) : null}
    </>
  );
}

export function UserActivityCard({ userId, className }: { userId: string; className?: string }) {
  const t = useT();
  return (
    <Card className={className} aria-labelledby="user-activity-title" data-testid="user-activity">
      <Tabs defaultValue="target">
        <CardHeader className="pb-4 sm:pb-4">
          <CardTitle id="user-activity-title">{t('users.detail.activity')}</CardTitle>
          <CardDescription>{t('users.detail.activityDescription')}</CardDescription>
          <TabsList className="mt-3 grid h-auto w-full grid-cols-2 sm:inline-flex sm:w-fit">
            <TabsTrigger value="target" className="h-auto min-h-7 whitespace-normal py-1">
              {t('users.detail.eventsOnUser')}
            </TabsTrigger>
            <TabsTrigger value="actor" className="h-auto min-h-7 whitespace-normal py-1">
              {t('users.detail.eventsByUser')}
            </TabsTrigger>
          </TabsList>
        </CardHeader>
        <TabsContent value="target" className="mt-0 border-t">
          <AuditSlice filter={{ targetId: userId }} />
        </TabsContent>
        <TabsContent value="actor" className="mt-0 border-t">
          <AuditSlice filter={{ actorId: userId }} />
        </TabsContent>
      </Tabs>
    </Card>
  );
}
