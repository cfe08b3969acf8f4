import { Suspense } from 'react';
import { VmsPage } from '@/components/vms/vms-page';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('vms.title');

export default function Page() {
  // Filters, sort and page live in the query string.
  return (
    <Suspense>
      <VmsPage />
    </Suspense>
  );
}
