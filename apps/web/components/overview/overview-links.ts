import type { AdminOverview } from '@uni-manager/contracts';
import { localDay } from '@/lib/days';

type VmState = keyof Omit<AdminOverview['vms'], 'total'>;
type UserCount = keyof AdminOverview['users'];

/** Where each count of the overview leads: the list it counts, filtered. */
export const vmStateHref: Record<VmState, string> = {
  running: '/admin/vms?power=running',
  stopped: '/admin/vms?power=stopped',
  paused: '/admin/vms?power=paused',
  provisioning: '/admin/vms?status=provisioning',
  failed: '/admin/vms?status=failed',
  lost: '/admin/vms?status=lost',
};

export const userCountHref: Record<UserCount, string> = {
  total: '/admin/users',
  active: '/admin/users?state=active',
  suspended: '/admin/users?state=suspended',
  banned: '/admin/users?state=banned',
  admins: '/admin/users?role=admin',
  // Lowest balance first: the accounts in debt lead the list.
  inDebt: '/admin/users?sort=balance&order=asc',
};

/** Failed VM operations are audited one by one: the audit log, filtered to them since yesterday, lists them. */
export function failedOperationsHref(now: Date): string {
  const since = localDay(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1));
  return `/admin/audit?action=vm.operation_failed&from=${since}`;
}
