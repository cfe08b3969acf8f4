'use client';

import type { AdminUser } from '@uni-manager/contracts';
import { Ellipsis, Eye } from 'lucide-react';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import type { UserActionKind } from '@/lib/api/admin-users';
import { useAuth } from '@/lib/auth/use-auth';
import { useT } from '@/lib/i18n/i18n-provider';
import { actionIcon, isDestructive } from './action-visuals';
import { availableActions } from './available-actions';

interface UserActionsMenuProps {
  user: AdminUser;
  onAction: (kind: UserActionKind) => void;
  /** Hide "View details" where we already are on the details page. */
  showView?: boolean;
}

export function UserActionsMenu({ user, onAction, showView = true }: UserActionsMenuProps) {
  const t = useT();
  const self = useAuth().user?.id === user.id;
  const actions = availableActions(user);

  return (
    <DropdownMenu modal={false}>
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          size="icon-sm"
          aria-label={t('users.rowActions', { email: user.email })}
          data-testid="user-actions"
        >
          <Ellipsis aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent className="w-56">
        {showView ? (
          <>
            <DropdownMenuItem asChild data-testid="action-view">
              <Link href={`/admin/users/${user.id}`}>
                <Eye aria-hidden />
                {t('users.view')}
              </Link>
            </DropdownMenuItem>
            <DropdownMenuSeparator />
          </>
        ) : null}
        {/* The API refuses an admin acting on their own account (SELF_ACTION); say so before they try. */}
        {self ? (
          <DropdownMenuLabel className="font-normal leading-snug">{t('users.selfHint')}</DropdownMenuLabel>
        ) : null}
        {actions.map((kind, index) => {
          const Icon = actionIcon[kind];
          // Role changes first, then state changes, with a line between.
          const separate = index === 1;
          return (
            <div key={kind} className="contents">
              {separate ? <DropdownMenuSeparator /> : null}
              <DropdownMenuItem
                disabled={self}
                destructive={isDestructive(kind)}
                onSelect={() => onAction(kind)}
                data-testid={`action-${kind}`}
              >
                <Icon aria-hidden />
                {t(`users.${kind}`)}
              </DropdownMenuItem>
            </div>
          );
        })}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
