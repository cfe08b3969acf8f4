'use client';

import { useState } from 'react';
import { PageHeader } from '@/components/layout/page-header';
import { useAuth } from '@/lib/auth/use-auth';
import { useT } from '@/lib/i18n/i18n-provider';
import { greetingKey } from './greeting';
import { LostVmsAlert } from '@/components/vms/lost-vms-alert';
import { UserDashboard } from './user-dashboard';

export function DashboardPage() {
  const t = useT();
  const { user } = useAuth();
  // Read once per visit: the greeting should not flip while the page is open.
  const [hour] = useState(() => new Date().getHours());
  if (!user) return null;
  const firstName = user.displayName.split(/\s+/)[0] ?? user.displayName;

  return (
    <>
      <PageHeader title={t(greetingKey(hour), { name: firstName })} description={t('dashboard.subtitle')} />
      {user.role === 'admin' ? (
        <div className="mb-6">
          <LostVmsAlert />
        </div>
      ) : null}
      <UserDashboard user={user} />
    </>
  );
}
