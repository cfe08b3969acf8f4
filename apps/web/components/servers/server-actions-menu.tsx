'use client';

import type { Server } from '@uni-manager/contracts';
import { CircleOff, CirclePower, Ellipsis, Eye, Pencil, PlugZap, Trash2, Wrench } from 'lucide-react';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { useT } from '@/lib/i18n/i18n-provider';
import type { ServerActionKind } from './server-dialogs';

interface ServerActionsMenuProps {
  server: Server;
  onAction: (kind: ServerActionKind) => void;
  busy?: boolean;
}

export function ServerActionsMenu({ server, onAction, busy }: ServerActionsMenuProps) {
  const t = useT();
  return (
    <DropdownMenu modal={false}>
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          size="icon-sm"
          aria-label={t('servers.actions.menu', { name: server.name })}
          data-testid="server-actions"
        >
          <Ellipsis aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent className="w-56">
        <DropdownMenuItem asChild data-testid="action-view">
          <Link href={`/admin/servers/${server.id}`}>
            <Eye aria-hidden />
            {t('servers.actions.view')}
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => onAction('test')} data-testid="action-test">
          <PlugZap aria-hidden />
          {t('servers.actions.test')}
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => onAction('edit')} data-testid="action-edit">
          <Pencil aria-hidden />
          {t('servers.actions.edit')}
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <DropdownMenuItem
          disabled={busy}
          onSelect={() => onAction(server.maintenance ? 'maintenanceOff' : 'maintenanceOn')}
          data-testid={server.maintenance ? 'action-maintenance-off' : 'action-maintenance-on'}
        >
          <Wrench aria-hidden />
          {server.maintenance ? t('servers.actions.maintenanceOff') : t('servers.actions.maintenanceOn')}
        </DropdownMenuItem>
        <DropdownMenuItem
          disabled={busy}
          onSelect={() => onAction(server.enabled ? 'disable' : 'enable')}
          data-testid={server.enabled ? 'action-disable' : 'action-enable'}
        >
          {server.enabled ? <CircleOff aria-hidden /> : <CirclePower aria-hidden />}
          {server.enabled ? t('servers.actions.disable') : t('servers.actions.enable')}
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <DropdownMenuItem destructive onSelect={() => onAction('remove')} data-testid="remove-server">
          <Trash2 aria-hidden />
          {t('servers.actions.remove')}
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
