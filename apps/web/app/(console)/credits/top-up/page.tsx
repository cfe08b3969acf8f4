import { Suspense } from 'react';
import { TopUpPage } from '@/components/billing/top-up-page';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('credits.topUp.pageTitle');

export default function Page() {
  // The payment provider comes back with ?checkout=success or ?checkout=cancelled.
  return (
    <Suspense>
      <TopUpPage />
    </Suspense>
  );
}
