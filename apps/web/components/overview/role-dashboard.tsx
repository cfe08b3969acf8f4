'use client';

import dynamic from 'next/dynamic';
import { Skeleton } from '@/components/ui/skeleton';
import { useAuth } from '@/lib/auth/use-auth';

/** The shape of either dashboard while its code arrives: a title and a grid of cards. */
function DashboardSkeleton() {
  return (
    <div className="space-y-6" aria-busy data-testid="dashboard-skeleton">
      <div className="space-y-2">
        <Skeleton className="h-7 w-64" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <div className="grid gap-6 md:grid-cols-2 xl:grid-cols-3">
        {Array.from({ length: 3 }, (_, i) => (
          <Skeleton key={i} className="h-40 rounded-xl" />
        ))}
      </div>
    </div>
  );
}

/*
 * Each dashboard is its own chunk, fetched once the role is known: a user never
 * downloads the platform overview (and its charts), and the route's first load
 * carries neither.
 */
const AdminOverviewPage = dynamic(() => import('./admin-overview-page').then((m) => m.AdminOverviewPage), {
  loading: DashboardSkeleton,
});
const DashboardPage = dynamic(() => import('@/components/dashboard/dashboard-page').then((m) => m.DashboardPage), {
  loading: DashboardSkeleton,
});

/** The dashboard route serves two pages: the platform overview for admins, the user's own dashboard for everyone else. */
export function RoleDashboard() {
  const role = useAuth().user?.role;
  if (!role) return null;
  return role === 'admin' ? <AdminOverviewPage /> : <DashboardPage />;
}
