import type { ReactNode } from 'react';
import { AppShell } from '@/components/layout/app-shell';
import { LiveProvider } from '@/lib/live/live-provider';

export default function ConsoleLayout({ children }: { children: ReactNode }) {
  return (
    <LiveProvider>
      <AppShell>{children}</AppShell>
    </LiveProvider>
  );
}
