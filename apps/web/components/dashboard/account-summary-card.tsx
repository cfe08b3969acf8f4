'use client';

import { useQuery } from '@tanstack/react-query';
import { ArrowRight } from 'lucide-react';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { RoleBadge, StateBadge } from '@/components/users/status-badges';
import { Avatar } from '@/components/ui/avatar';
import { Card, CardContent, CardFooter } from '@/components/ui/card';
import { fetchMe } from '@/lib/api/me';
import { queryKeys } from '@/lib/api/query-keys';
import { useAuth } from '@/lib/auth/use-auth';
import { useI18n } from '@/lib/i18n/i18n-provider';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex items-center justify-between gap-4 py-2.5">
      <dt className="text-sm text-muted-foreground">{label}</dt>
      <dd className="text-right text-sm font-medium">{children}</dd>
    </div>
  );
}

export function AccountSummaryCard() {
  const { t, format } = useI18n();
  const session = useAuth().user;
  // The session's copy of the user is enough to render; /me brings it up to date.
  const { data } = useQuery({ queryKey: queryKeys.me, queryFn: ({ signal }) => fetchMe(signal) });
  const user = data ?? session;
  if (!user) return null;

  return (
    <Card aria-labelledby="account-summary-title" data-testid="account-summary">
      <CardContent className="space-y-4">
        <div className="flex items-center gap-3">
          <Avatar name={user.displayName} className="size-11 text-sm" />
          <div className="min-w-0">
            <h2 id="account-summary-title" className="truncate font-semibold">
              {user.displayName}
            </h2>
            <p className="truncate text-sm text-muted-foreground">{user.email}</p>
          </div>
        </div>
        <dl className="divide-y border-t">
          <Row label={t('dashboard.summary.role')}>
            <RoleBadge role={user.role} />
          </Row>
          <Row label={t('dashboard.summary.state')}>
            <StateBadge state={user.state} />
          </Row>
          <Row label={t('dashboard.summary.memberSince')}>{format.date(user.createdAt)}</Row>
          <Row label={t('dashboard.summary.lastLogin')}>
            {user.lastLoginAt ? format.dateTime(user.lastLoginAt) : t('common.never')}
          </Row>
        </dl>
      </CardContent>
      <CardFooter>
        <Link
          href="/account"
          className="inline-flex items-center gap-1.5 text-sm font-medium text-primary underline-offset-4 hover:underline"
        >
          {t('dashboard.summary.manage')}
          <ArrowRight className="size-3.5" aria-hidden />
        </Link>
      </CardFooter>
    </Card>
  );
}
