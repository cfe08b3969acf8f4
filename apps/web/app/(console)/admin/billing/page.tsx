import { Suspense } from 'react';
import { BillingPage } from '@/components/admin-billing/billing-page';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('adminBilling.title');

export default function Page() {
  // The period, the transactions' filters and page live in the query string.
  return (
    <Suspense>
      <BillingPage />
    </Suspense>
  );
}
