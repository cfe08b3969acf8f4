'use client';

import type { AdminUser } from '@uni-manager/contracts';
import { Alert } from '@/components/ui/alert';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** A suspended or banned account says so at the top of its page, with the reason and the date. */
export function StateNotice({ user }: { user: AdminUser }) {
  const { t, format } = useI18n();
  if (user.state === 'active') return null;
  const date = user.stateChangedAt ? format.dateTime(user.stateChangedAt) : t('common.none');
  const headline =
    user.state === 'suspended' ? t('users.detail.suspendedNotice', { date }) : t('users.detail.bannedNotice', { date });
  return (
    <Alert tone={user.state === 'banned' ? 'destructive' : 'warning'} data-testid="state-notice">
      <p className="font-medium">{headline}</p>
      <p className="mt-0.5 text-muted-foreground">
        {user.stateReason ? t('users.detail.reasonLine', { reason: user.stateReason }) : t('users.detail.noReason')}
      </p>
    </Alert>
  );
}
