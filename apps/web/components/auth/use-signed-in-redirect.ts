'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect } from 'react';
import { safeNextPath } from '@/lib/auth/safe-next';
import { useAuth } from '@/lib/auth/use-auth';

/** On the login and register pages: once a session exists, go where the user was heading. */
export function useSignedInRedirect(): string {
  const { status } = useAuth();
  const router = useRouter();
  const next = safeNextPath(useSearchParams().get('next'));
  useEffect(() => {
    if (status === 'authenticated') router.replace(next);
  }, [status, next, router]);
  return next;
}
