import { Suspense } from 'react';
import { CreditsPage } from '@/components/billing/credits-page';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('credits.title');

export default function Page() {
  // Filters and page live in the query string.
  return (
    <Suspense>
      <CreditsPage />
    </Suspense>
  );
}
