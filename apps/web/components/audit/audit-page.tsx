'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ScrollText } from 'lucide-react';
import { PageHeader } from '@/components/layout/page-header';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ListPagination } from '@/components/ui/pagination';
import { QueryError } from '@/components/ui/query-error';
import { fetchAudit } from '@/lib/api/audit';
import { queryKeys } from '@/lib/api/query-keys';
import { isRangeValid } from '@/lib/days';
import { useT } from '@/lib/i18n/i18n-provider';
import { usePagedSearchState } from '@/lib/use-search-state';
import { AuditFilters } from './audit-filters';
import { AUDIT_PAGE_SIZES, parseAuditSearch, serializeAuditSearch, toAuditQuery } from './audit-search';
import { AuditTable } from './audit-table';

export function AuditPage() {
  const t = useT();
  const [search, setSearch, update] = usePagedSearchState(parseAuditSearch, serializeAuditSearch);
  const valid = isRangeValid(search);
  const query = toAuditQuery(search);
  const audit = useQuery({
    queryKey: queryKeys.adminAudit(query),
    queryFn: ({ signal }) => fetchAudit(query, signal),
    placeholderData: keepPreviousData,
    // An inverted range can only return nothing; the filters explain why instead.
    enabled: valid,
  });

  const data = valid ? audit.data : undefined;
  const filtered = Boolean(search.q || search.action || search.from || search.to);

  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.subtitle')} />
      <Card className="overflow-hidden">
        <div className="border-b p-4">
          <AuditFilters search={search} onChange={update} />
        </div>
        {!valid ? null : audit.isError && !data ? (
          <QueryError error={audit.error} onRetry={() => void audit.refetch()} />
        ) : data && data.items.length === 0 ? (
          <EmptyState
            icon={ScrollText}
            title={t('audit.empty')}
            description={filtered ? t('audit.emptyHint') : undefined}
          />
        ) : (
          <AuditTable events={data?.items} stale={audit.isPlaceholderData} />
        )}
        <ListPagination total={data?.total} search={search} onChange={setSearch} pageSizeOptions={AUDIT_PAGE_SIZES} />
      </Card>
    </>
  );
}
