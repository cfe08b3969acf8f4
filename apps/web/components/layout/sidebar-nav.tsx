'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useId } from 'react';
import type { User } from '@uni-manager/contracts';
import { useT } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { Brand } from './brand';
import { adminNav, mainNav, type NavItem } from './nav-items';

function isActive(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}

function NavList({
  items,
  onNavigate,
  labelledBy,
}: {
  items: NavItem[];
  onNavigate?: () => void;
  labelledBy?: string;
}) {
  const t = useT();
  const pathname = usePathname();
  return (
    <ul className="grid gap-0.5" aria-labelledby={labelledBy}>
      {items.map(({ href, label, icon: Icon }) => {
        const active = isActive(pathname, href);
        return (
          <li key={href}>
            <Link
              href={href}
              onClick={onNavigate}
              aria-current={active ? 'page' : undefined}
              className={cn(
                'group flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors',
                'focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-ring',
                active
                  ? 'bg-sidebar-accent text-foreground'
                  : 'text-sidebar-foreground/85 hover:bg-sidebar-accent/60 hover:text-foreground',
              )}
            >
              <Icon
                className={cn(
                  'size-4 shrink-0',
                  active ? 'text-primary' : 'text-muted-foreground group-hover:text-foreground',
                )}
                aria-hidden
              />
              {t(label)}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

/** The navigation itself, shared by the desktop sidebar and the phone drawer. */
export function SidebarNav({ user, onNavigate }: { user: User; onNavigate?: () => void }) {
  const t = useT();
  const adminHeadingId = useId();
  return (
    <div className="flex h-full flex-col">
      <div className="flex h-14 shrink-0 items-center border-b border-sidebar-border px-4">
        <Link
          href="/dashboard"
          onClick={onNavigate}
          className="rounded-md focus-visible:outline-2 focus-visible:outline-ring"
        >
          <Brand />
        </Link>
      </div>
      <nav aria-label={t('nav.main')} className="flex-1 space-y-6 overflow-y-auto px-3 py-4">
        <NavList items={mainNav} onNavigate={onNavigate} />
        {user.role === 'admin' ? (
          <div className="space-y-1.5">
            <p
              id={adminHeadingId}
              className="px-3 text-[0.6875rem] font-semibold uppercase tracking-wider text-muted-foreground"
            >
              {t('nav.admin')}
            </p>
            <NavList items={adminNav} onNavigate={onNavigate} labelledBy={adminHeadingId} />
          </div>
        ) : null}
      </nav>
    </div>
  );
}
