'use client';

import type { User } from '@uni-manager/contracts';
import { ChevronDown, LogOut, UserRound } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { Avatar } from '@/components/ui/avatar';
import { Badge } from '@/components/ui/badge';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { logout } from '@/lib/api/auth';
import { useI18n } from '@/lib/i18n/i18n-provider';

export function UserMenu({ user }: { user: User }) {
  const { t, dict } = useI18n();
  const router = useRouter();

  async function onLogout() {
    await logout();
    router.replace('/login');
  }

  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        className="flex items-center gap-2 rounded-full py-1 pl-1 pr-2 text-sm transition-colors hover:bg-accent focus-visible:outline-2 focus-visible:outline-ring sm:rounded-md"
        aria-label={t('topbar.userMenu')}
        data-testid="user-menu"
      >
        <Avatar name={user.displayName} />
        <span className="hidden max-w-40 truncate font-medium sm:inline">{user.displayName}</span>
        <ChevronDown className="hidden size-4 text-muted-foreground sm:block" aria-hidden />
      </DropdownMenuTrigger>
      <DropdownMenuContent className="w-64">
        <DropdownMenuLabel className="font-normal">
          <span className="block text-xs text-muted-foreground">{t('topbar.signedInAs')}</span>
          <span className="mt-1 block truncate text-sm font-medium text-foreground">{user.displayName}</span>
          <span className="block truncate text-xs text-muted-foreground">{user.email}</span>
          <Badge tone={user.role === 'admin' ? 'primary' : 'neutral'} className="mt-2">
            {dict.roles[user.role]}
          </Badge>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/account">
            <UserRound aria-hidden />
            {t('topbar.account')}
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => void onLogout()} data-testid="logout">
          <LogOut aria-hidden />
          {t('topbar.logout')}
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
