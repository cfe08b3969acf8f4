'use client';

import { Alert } from '@/components/ui/alert';
import type { SessionNotice as Notice } from '@/lib/auth/session-store';
import { useT } from '@/lib/i18n/i18n-provider';
import type { Translate } from '@/lib/i18n/translate';

export function noticeMessage(notice: Notice, t: Translate): string {
  switch (notice.reason) {
    case 'signedOut':
      return t('auth.notices.signedOut');
    case 'signedOutElsewhere':
      return t('auth.notices.signedOutElsewhere');
    case 'expired':
      return t('auth.notices.sessionExpired');
    case 'revoked':
      return t('auth.notices.sessionRevoked');
    case 'reused':
      return t('auth.notices.refreshReused');
    case 'suspended':
      return notice.detail ? t('auth.notices.suspendedReason', { reason: notice.detail }) : t('auth.notices.suspended');
    case 'banned':
      return notice.detail ? t('auth.notices.bannedReason', { reason: notice.detail }) : t('auth.notices.banned');
  }
}

/** Why the user is looking at the login page, when it was not their own doing. */
export function SessionNotice({ notice }: { notice: Notice }) {
  const t = useT();
  const serious = notice.reason === 'suspended' || notice.reason === 'banned' || notice.reason === 'reused';
  const neutral = notice.reason === 'signedOut' || notice.reason === 'signedOutElsewhere';
  return (
    <Alert tone={serious ? 'destructive' : neutral ? 'info' : 'warning'} data-testid="session-notice">
      {noticeMessage(notice, t)}
    </Alert>
  );
}
