import { Suspense } from 'react';
import { AuditPage } from '@/components/audit/audit-page';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('audit.title');

export default function Page() {
  return (
    <Suspense>
      <AuditPage />
    </Suspense>
  );
}
