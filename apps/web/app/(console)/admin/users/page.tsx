import { Suspense } from 'react';
import { UsersPage } from '@/components/users/users-page';
import { titleMetadata } from '@/lib/i18n/server';

export const generateMetadata = titleMetadata('users.title');

export default function Page() {
  // Filters, sort and page live in the query string.
  return (
    <Suspense>
      <UsersPage />
    </Suspense>
  );
}
