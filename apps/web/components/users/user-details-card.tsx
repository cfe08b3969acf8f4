'use client';

import type { AdminUser } from '@uni-manager/contracts';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { RoleBadge, StateBadge } from './status-badges';

function Item({ label, children, wide }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className={cn('min-w-0 space-y-1', wide && 'col-span-2')}>
      <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
      <dd className="break-words text-sm">{children}</dd>
    </div>
  );
}

export function UserDetailsCard({ user, className }: { user: AdminUser; className?: string }) {
  const { t, format } = useI18n();
  const none = t('common.none');
  return (
    <Card className={className} aria-labelledby="user-details-title" data-testid="user-details">
      <CardHeader>
        <CardTitle id="user-details-title">{t('users.detail.details')}</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-5 lg:grid-cols-4">
          <Item label={t('users.detail.email')} wide>
            {user.email}
          </Item>
          <Item label={t('users.detail.id')} wide>
            <span className="font-mono text-xs">{user.id}</span>
          </Item>
          <Item label={t('users.detail.role')}>
            <RoleBadge role={user.role} />
          </Item>
          <Item label={t('users.detail.state')}>
            <StateBadge state={user.state} />
          </Item>
          {user.state !== 'active' ? (
            <>
              <Item label={t('users.detail.stateSince')}>
                {user.stateChangedAt ? format.dateTime(user.stateChangedAt) : none}
              </Item>
              <Item label={t('users.detail.stateReason')}>{user.stateReason ?? none}</Item>
            </>
          ) : null}
          <Item label={t('users.detail.createdAt')}>{format.dateTime(user.createdAt)}</Item>
          <Item label={t('users.detail.updatedAt')}>{format.dateTime(user.updatedAt)}</Item>
          <Item label={t('users.detail.lastLoginAt')}>
            {user.lastLoginAt ? format.dateTime(user.lastLoginAt) : t('common.never')}
          </Item>
          <Item label={t('users.detail.activeSessions')}>
            <span className="tabular-nums">{format.number(user.activeSessions)}</span>
          </Item>
          <Item label={t('adminBilling.user.vms')}>
            <Link
              href={`/admin/vms?owner=${user.id}`}
              className="font-medium tabular-nums text-primary underline-offset-4 hover:underline"
              data-testid="user-vm-count"
            >
              {format.number(user.vmCount)}
            </Link>
          </Item>
        </dl>
      </CardContent>
    </Card>
  );
}
