'use client';

import type { User } from '@uni-manager/contracts';
import { CreditsSummaryCard } from '@/components/billing/credits-summary-card';
import { SpendChartCard } from '@/components/billing/spend-chart-card';
import { AccountSummaryCard } from './account-summary-card';
import { AdminShortcutsCard } from './admin-shortcuts-card';
import { RecentActivityCard } from './recent-activity-card';
import { VmsSummaryCard } from './vms-summary-card';

/**
 * What a user sees of their own account: money first (the balance, how fast
 * it goes, the last weeks' spending), then their VMs, account and activity.
 * Its own component so an administrator's overview can show it too.
 */
export function UserDashboard({ user }: { user: User }) {
  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-5" data-testid="user-dashboard">
      <CreditsSummaryCard className="lg:col-span-2" />
      <SpendChartCard className="lg:col-span-3" />
      <div className="space-y-6 lg:col-span-2">
        <VmsSummaryCard />
        <AccountSummaryCard />
        {user.role === 'admin' ? <AdminShortcutsCard /> : null}
      </div>
      <RecentActivityCard className="lg:col-span-3" />
    </div>
  );
}
