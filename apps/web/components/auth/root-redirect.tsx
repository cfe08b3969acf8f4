'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { FullPageLoader } from '@/components/layout/full-page-loader';
import { useAuth } from '@/lib/auth/use-auth';

/** `/` has no content: it forwards to the dashboard or the login page once the session is known. */
export function RootRedirect() {
  const { status } = useAuth();
  const router = useRouter();
  useEffect(() => {
    if (status === 'authenticated') router.replace('/dashboard');
    if (status === 'anonymous') router.replace('/login');
  }, [status, router]);
  return <FullPageLoader />;
}
