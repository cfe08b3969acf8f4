'use client';

import type { AdminUser } from '@uni-manager/contracts';
import { useQuery } from '@tanstack/react-query';
import { ArrowLeft, UserX } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { UserBalanceCard } from '@/components/admin-billing/user-balance-card';
import { UserLedgerCard } from '@/components/admin-billing/user-ledger-card';
import { PageHeader } from '@/components/layout/page-header';
import { Avatar } from '@/components/ui/avatar';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryError } from '@/components/ui/query-error';
import { Skeleton } from '@/components/ui/skeleton';
import { fetchUser } from '@/lib/api/admin-users';
import { isApiError } from '@/lib/api/errors';
import { queryKeys } from '@/lib/api/query-keys';
import { useAuth } from '@/lib/auth/use-auth';
import { useT } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { actionIcon, isDestructive } from './action-visuals';
import { availableActions } from './available-actions';
import { StateNotice } from './state-notice';
import { RoleBadge, StateBadge } from './status-badges';
import { UserActionDialog, type PendingAction } from './user-action-dialog';
import { UserActivityCard } from './user-activity-card';
import { UserDetailsCard } from './user-details-card';

function BackLink() {
  const t = useT();
  return (
    <Link
      href="/admin/users"
      className="inline-flex items-center gap-1.5 text-sm text-muted-foreground hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
    >
      <ArrowLeft className="size-4" aria-hidden />
      {t('users.detail.back')}
    </Link>
  );
}

function Actions({ user, onAction }: { user: AdminUser; onAction: (pending: PendingAction) => void }) {
  const t = useT();
  const self = useAuth().user?.id === user.id;
  return (
    <div className="flex flex-col items-start gap-2 sm:items-end">
      <div className="flex flex-wrap gap-2">
        {availableActions(user).map((kind) => {
          const Icon = actionIcon[kind];
          return (
            <Button
              key={kind}
              variant="outline"
              size="sm"
              disabled={self}
              onClick={() => onAction({ user, kind })}
              className={cn(
                isDestructive(kind) &&
                  'border-destructive/40 text-destructive hover:bg-destructive/10 hover:text-destructive',
              )}
              data-testid={`action-${kind}`}
            >
              <Icon aria-hidden />
              {t(`users.${kind}`)}
            </Button>
          );
        })}
      </div>
      {/* The API refuses an admin acting on their own account (SELF_ACTION); say why the buttons are off. */}
      {self ? <p className="text-xs text-muted-foreground">{t('users.selfHint')}</p> : null}
    </div>
  );
}

export function UserDetailPage({ id }: { id: string }) {
  const t = useT();
  const [pending, setPending] = useState<PendingAction | null>(null);
  const query = useQuery({ queryKey: queryKeys.adminUser(id), queryFn: ({ signal }) => fetchUser(id, signal) });

  if (query.isPending) {
    return (
      <div className="space-y-6" aria-busy>
        <BackLink />
        <div className="flex items-center gap-4">
          <Skeleton className="size-14 rounded-full" />
          <div className="space-y-2">
            <Skeleton className="h-6 w-56" />
            <Skeleton className="h-4 w-40" />
          </div>
        </div>
        <Skeleton className="h-72 w-full rounded-xl" />
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
            <EmptyState icon={UserX} title={t('users.detail.notFound')} />
          ) : (
            <QueryError error={query.error} onRetry={() => void query.refetch()} />
          )}
        </Card>
      </div>
    );
  }

  const user = query.data;
  return (
    <>
      <PageHeader
        eyebrow={<BackLink />}
        title={
          <span className="flex items-center gap-3">
            <Avatar name={user.displayName} className="size-11 text-sm" />
            <span className="min-w-0 truncate">{user.displayName}</span>
          </span>
        }
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span>{user.email}</span>
            <RoleBadge role={user.role} />
            <StateBadge state={user.state} />
          </span>
        }
        actions={<Actions user={user} onAction={setPending} />}
      />
      <div className="space-y-6">
        <StateNotice user={user} />
        <UserDetailsCard user={user} />
        <UserBalanceCard user={user} />
        <UserLedgerCard userId={user.id} />
        <UserActivityCard userId={user.id} />
      </div>
      <UserActionDialog pending={pending} onClose={() => setPending(null)} />
    </>
  );
}
