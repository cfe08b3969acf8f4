'use client';

import { PageHeader } from '@/components/layout/page-header';
import { useT } from '@/lib/i18n/i18n-provider';
import { PasswordCard } from './password-card';
import { ProfileCard } from './profile-card';
import { SecurityEventsCard } from './security-events-card';
import { SessionsCard } from './sessions-card';

export function AccountPage() {
  const t = useT();
  return (
    <>
      <PageHeader title={t('account.title')} description={t('account.subtitle')} />
      <div className="grid grid-cols-1 gap-6">
        <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
          <ProfileCard />
          <PasswordCard />
        </div>
        <SessionsCard />
        <SecurityEventsCard />
      </div>
    </>
  );
}
