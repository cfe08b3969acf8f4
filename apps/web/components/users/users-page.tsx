'use client';

import type { AdminUser } from '@uni-manager/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { SearchX } from 'lucide-react';
import { useCallback, useState } from 'react';
import { PageHeader } from '@/components/layout/page-header';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ListPagination } from '@/components/ui/pagination';
import { QueryError } from '@/components/ui/query-error';
import { fetchUsers, type UserActionKind } from '@/lib/api/admin-users';
import { queryKeys } from '@/lib/api/query-keys';
import { useT } from '@/lib/i18n/i18n-provider';
import { nextOrder, usePagedSearchState } from '@/lib/use-search-state';
import { UserActionDialog, type PendingAction } from './user-action-dialog';
import {
  defaultOrderFor,
  PAGE_SIZES,
  parseUsersSearch,
  serializeUsersSearch,
  toUsersQuery,
  type UserSortField,
} from './users-search';
import { UsersTable } from './users-table';
import { UsersToolbar } from './users-toolbar';

export function UsersPage() {
  const t = useT();
  const [search, setSearch, update] = usePagedSearchState(parseUsersSearch, serializeUsersSearch);
  const [pending, setPending] = useState<PendingAction | null>(null);
  const query = toUsersQuery(search);
  const users = useQuery({
    queryKey: queryKeys.adminUsers(query),
    queryFn: ({ signal }) => fetchUsers(query, signal),
    placeholderData: keepPreviousData,
  });

  function onSort(field: UserSortField) {
    update({ sort: field, order: nextOrder(search, field, defaultOrderFor) });
  }

  const onAction = useCallback((user: AdminUser, kind: UserActionKind) => setPending({ user, kind }), []);
  const data = users.data;
  const filtered = Boolean(search.q || search.role || search.state);

  return (
    <>
      <PageHeader title={t('users.title')} description={t('users.subtitle')} />
      <Card className="overflow-hidden">
        <div className="border-b p-4">
          <UsersToolbar search={search} onChange={update} />
        </div>
        {users.isError && !data ? (
          <QueryError error={users.error} onRetry={() => void users.refetch()} />
        ) : data && data.items.length === 0 ? (
          <EmptyState
            icon={SearchX}
            title={t('users.empty')}
            description={filtered ? t('users.emptyHint') : undefined}
            action={
              filtered ? (
                <Button
                  variant="outline"
                  size="sm"
                  onClick={() => update({ q: '', role: undefined, state: undefined })}
                >
                  {t('users.clearFilters')}
                </Button>
              ) : undefined
            }
          />
        ) : (
          <UsersTable
            users={data?.items}
            sort={search.sort}
            order={search.order}
            onSort={onSort}
            onAction={onAction}
            stale={users.isPlaceholderData}
          />
        )}
        <ListPagination total={data?.total} search={search} onChange={setSearch} pageSizeOptions={PAGE_SIZES} />
      </Card>
      <UserActionDialog pending={pending} onClose={() => setPending(null)} />
    </>
  );
}
