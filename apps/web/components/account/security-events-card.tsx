'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { History } from 'lucide-react';
import { useState } from 'react';
import { EventList, EventListSkeleton } from '@/components/audit/event-list';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Pagination } from '@/components/ui/pagination';
import { QueryError } from '@/components/ui/query-error';
import { fetchMyEvents } from '@/lib/api/me';
import { queryKeys } from '@/lib/api/query-keys';
import { useT } from '@/lib/i18n/i18n-provider';

const PAGE_SIZE = 10;

export function SecurityEventsCard() {
  const t = useT();
  const [page, setPage] = useState(1);
  const query = useQuery({
    queryKey: queryKeys.myEvents(page, PAGE_SIZE),
    queryFn: ({ signal }) => fetchMyEvents(page, PAGE_SIZE, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <Card aria-labelledby="activity-title" id="activity" className="scroll-mt-20" data-testid="security-events">
      <CardHeader>
        <CardTitle id="activity-title">{t('account.events.title')}</CardTitle>
        <CardDescription>{t('account.events.description')}</CardDescription>
      </CardHeader>
      <CardContent aria-busy={query.isFetching}>
        {query.isPending ? (
          <EventListSkeleton rows={5} />
        ) : query.isError ? (
          <QueryError error={query.error} onRetry={() => void query.refetch()} />
        ) : query.data.items.length === 0 ? (
          <EmptyState icon={History} title={t('account.events.empty')} />
        ) : (
          <EventList events={query.data.items} className={query.isPlaceholderData ? 'opacity-60' : undefined} />
        )}
      </CardContent>
      {query.data && query.data.total > PAGE_SIZE ? (
        <CardFooter>
          <Pagination
            className="w-full"
            page={page}
            pageSize={PAGE_SIZE}
            total={query.data.total}
            onPageChange={setPage}
          />
        </CardFooter>
      ) : null}
    </Card>
  );
}
