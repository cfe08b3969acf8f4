import { Suspense } from 'react';
import { CreateVmPage } from '@/components/vms/create/create-vm-page';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('vms.create.title');

export default function Page() {
  // ?template=<id> preselects a template.
  return (
    <Suspense>
      <CreateVmPage />
    </Suspense>
  );
}
