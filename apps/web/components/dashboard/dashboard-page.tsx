'use client';

import { useState } from 'react';
import { PageHeader } from '@/components/layout/page-header';
import { useAuth } from '@/lib/auth/use-auth';
import { useT } from '@/lib/i18n/i18n-provider';
import { AccountSummaryCard } from './account-summary-card';
import { AdminShortcutsCard } from './admin-shortcuts-card';
import { greetingKey } from './greeting';
import { RecentActivityCard } from './recent-activity-card';
import { LostVmsAlert } from '@/components/vms/lost-vms-alert';
import { VmsSummaryCard } from './vms-summary-card';

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
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-5">
        <div className="space-y-6 lg:col-span-2">
          <VmsSummaryCard />
          <AccountSummaryCard />
          {user.role === 'admin' ? <AdminShortcutsCard /> : null}
        </div>
        <RecentActivityCard className="lg:col-span-3" />
      </div>
    </>
  );
}
