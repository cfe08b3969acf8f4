'use client';

import type { ReactNode } from 'react';
import { useAuth } from '@/lib/auth/use-auth';
import { Forbidden } from './forbidden';

/**
 * Hides admin pages from non-admins. The API enforces the same rule; this only
 * spares them a page of failing requests.
 */
export function AdminGuard({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  if (user?.role !== 'admin') return <Forbidden />;
  return <>{children}</>;
}
