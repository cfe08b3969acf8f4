import { Suspense } from 'react';
import { AdminVmsPage } from '@/components/vms/admin-vms-page';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('vms.admin.title');

export default function Page() {
  return (
    <Suspense>
      <AdminVmsPage />
    </Suspense>
  );
}
