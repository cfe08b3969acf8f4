'use client';

import { adminListVmsQuerySchema } from '@uni-manager/contracts';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Alert } from '@/components/ui/alert';
import { fetchAdminVms } from '@/lib/api/vms';
import { queryKeys } from '@/lib/api/query-keys';
import { useT } from '@/lib/i18n/i18n-provider';

const lostQuery = adminListVmsQuerySchema.parse({ status: 'lost', pageSize: 1 });

/**
 * The admin's alert for VMs Proxmox no longer lists: reconciliation flags
 * them and never deletes them, so someone has to look.
 */
export function LostVmsAlert() {
  const t = useT();
  const lost = useQuery({
    queryKey: queryKeys.adminVms(lostQuery),
    queryFn: ({ signal }) => fetchAdminVms(lostQuery, signal),
    refetchInterval: 30_000,
  });
  const count = lost.data?.total ?? 0;
  if (!count) return null;
  return (
    <Alert tone="warning" data-testid="lost-vms-alert" data-count={count}>
      <p className="font-medium">{t('vms.admin.lostAlertTitle', { count })}</p>
      <p className="text-sm">{t('vms.admin.lostAlert')}</p>
      <Link href="/admin/vms?status=lost" className="text-sm font-medium underline underline-offset-4">
        {t('vms.admin.lostAlertLink')}
      </Link>
    </Alert>
  );
}
