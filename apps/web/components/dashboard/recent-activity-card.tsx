'use client';

import { useQuery } from '@tanstack/react-query';
import { History } from 'lucide-react';
import Link from 'next/link';
import { EventList, EventListSkeleton } from '@/components/audit/event-list';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryError } from '@/components/ui/query-error';
import { fetchMyEvents } from '@/lib/api/me';
import { queryKeys } from '@/lib/api/query-keys';
import { useT } from '@/lib/i18n/i18n-provider';

const RECENT = 5;

export function RecentActivityCard({ className }: { className?: string }) {
  const t = useT();
  const query = useQuery({
    queryKey: queryKeys.myEvents(1, RECENT),
    queryFn: ({ signal }) => fetchMyEvents(1, RECENT, signal),
  });

  return (
    <Card className={className} aria-labelledby="recent-activity-title" data-testid="recent-activity">
      <CardHeader className="flex-row items-start justify-between gap-4">
        <div className="space-y-1.5">
          <CardTitle id="recent-activity-title">{t('dashboard.activity.title')}</CardTitle>
          <CardDescription>{t('dashboard.activity.description')}</CardDescription>
        </div>
        <Link
          href="/account#activity"
          className="shrink-0 text-sm font-medium text-primary underline-offset-4 hover:underline"
        >
          {t('common.viewAll')}
        </Link>
      </CardHeader>
      <CardContent>
        {query.isPending ? (
          <EventListSkeleton rows={RECENT} />
        ) : query.isError ? (
          <QueryError error={query.error} onRetry={() => void query.refetch()} />
        ) : query.data.items.length === 0 ? (
          <EmptyState icon={History} title={t('dashboard.activity.empty')} />
        ) : (
          <EventList events={query.data.items} />
        )}
      </CardContent>
    </Card>
  );
}
