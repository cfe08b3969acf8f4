import type { User } from '@uni-manager/contracts';
import Link from 'next/link';
import { NotificationBell } from '@/components/notifications/notification-bell';
import { Brand } from './brand';
import { LanguageSwitcher } from './language-switcher';
import { LiveIndicator } from './live-indicator';
import { MobileNav } from './mobile-nav';
import { ThemeToggle } from './theme-toggle';
import { UserMenu } from './user-menu';

export function TopBar({ user }: { user: User }) {
  return (
    <header className="sticky top-0 z-30 flex h-14 shrink-0 items-center gap-2 border-b bg-background/85 px-3 backdrop-blur supports-[backdrop-filter]:bg-background/70 sm:px-4 lg:px-6">
      <MobileNav user={user} />
      <Link href="/dashboard" className="rounded-md focus-visible:outline-2 focus-visible:outline-ring lg:hidden">
        <Brand className="text-sm [&>span:last-child]:hidden min-[420px]:[&>span:last-child]:inline" />
      </Link>
      <div className="ml-auto flex items-center gap-1">
        <LiveIndicator />
        <LanguageSwitcher />
        <ThemeToggle />
        <NotificationBell />
        <div className="ml-1 h-6 w-px bg-border" aria-hidden />
        <UserMenu user={user} />
      </div>
    </header>
  );
}
