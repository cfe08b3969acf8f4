'use client';

import { ChevronRight, ScrollText, Server, Users, type LucideIcon } from 'lucide-react';
import Link from 'next/link';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { useT } from '@/lib/i18n/i18n-provider';
import type { MessageKey } from '@/lib/i18n/translate';

const shortcuts: Array<{ href: string; icon: LucideIcon; label: MessageKey; hint: MessageKey }> = [
  { href: '/admin/users', icon: Users, label: 'dashboard.admin.users', hint: 'dashboard.admin.usersHint' },
  { href: '/admin/servers', icon: Server, label: 'dashboard.admin.servers', hint: 'dashboard.admin.serversHint' },
  { href: '/admin/audit', icon: ScrollText, label: 'dashboard.admin.audit', hint: 'dashboard.admin.auditHint' },
];

export function AdminShortcutsCard() {
  const t = useT();
  return (
    <Card aria-labelledby="admin-shortcuts-title">
      <CardHeader>
        <CardTitle id="admin-shortcuts-title">{t('dashboard.admin.title')}</CardTitle>
        <CardDescription>{t('dashboard.admin.description')}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-2">
        {shortcuts.map(({ href, icon: Icon, label, hint }) => (
          <Link
            key={href}
            href={href}
            className="group flex items-center gap-3 rounded-lg border p-3 transition-colors hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring"
          >
            <span className="flex size-9 items-center justify-center rounded-md bg-primary/10 text-primary">
              <Icon className="size-4" aria-hidden />
            </span>
            <span className="min-w-0 flex-1">
              <span className="block text-sm font-medium">{t(label)}</span>
              <span className="block text-xs text-muted-foreground">{t(hint)}</span>
            </span>
            <ChevronRight
              className="size-4 text-muted-foreground transition-transform group-hover:translate-x-0.5"
              aria-hidden
            />
          </Link>
        ))}
      </CardContent>
    </Card>
  );
}
