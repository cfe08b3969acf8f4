'use client';

import type { ReactNode } from 'react';
import { useAuth } from '@/lib/auth/use-auth';

/**
 * The dashboard route serves two pages: the platform overview for admins, the
 * user's own dashboard for everyone else. Both are rendered by the route and
 * handed in, so each stays a page of its own.
 */
export function RoleDashboard({ admin, user }: { admin: ReactNode; user: ReactNode }) {
  const role = useAuth().user?.role;
  if (!role) return null;
  return <>{role === 'admin' ? admin : user}</>;
}
