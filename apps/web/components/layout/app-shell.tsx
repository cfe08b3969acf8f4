'use client';

import { useRouter } from 'next/navigation';
import { useEffect, type ReactNode } from 'react';
import { BalanceBanner } from '@/components/billing/balance-banner';
import { useAuth } from '@/lib/auth/use-auth';
import { FullPageLoader } from './full-page-loader';
import { SidebarNav } from './sidebar-nav';
import { SkipLink } from './skip-link';
import { TopBar } from './top-bar';

/** The signed-in frame. Doubles as the auth guard: without a session it sends the user to /login. */
export function AppShell({ children }: { children: ReactNode }) {
  const { status, user, notice } = useAuth();
  const router = useRouter();

  useEffect(() => {
    if (status !== 'anonymous') return;
    // After a deliberate logout there is nowhere to come back to.
    if (notice?.reason === 'signedOut') {
      router.replace('/login');
      return;
    }
    const here = `${window.location.pathname}${window.location.search}`;
    router.replace(`/login?next=${encodeURIComponent(here)}`);
  }, [status, notice, router]);

  if (status !== 'authenticated' || !user) return <FullPageLoader />;

  return (
    <div className="min-h-dvh lg:grid lg:grid-cols-[15rem_minmax(0,1fr)]">
      <SkipLink />
      {/* The column carries the colour so it runs the full height of long pages; the sticky aside follows the scroll. */}
      <div className="hidden border-r border-sidebar-border bg-sidebar text-sidebar-foreground lg:block">
        <aside className="sticky top-0 h-dvh">
          <SidebarNav user={user} />
        </aside>
      </div>
      <div className="flex min-h-dvh min-w-0 flex-col">
        <TopBar user={user} />
        <main id="main-content" tabIndex={-1} className="flex-1 px-4 py-6 focus:outline-none sm:px-6 lg:px-10 lg:py-8">
          <div className="mx-auto w-full max-w-6xl">
            <BalanceBanner />
            {children}
          </div>
        </main>
      </div>
    </div>
  );
}
