'use client';

import type { Vm } from '@uni-manager/contracts';
import { SquareTerminal } from 'lucide-react';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { Tooltip } from '@/components/ui/tooltip';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { actionIcon } from './action-visuals';
import {
  actionBlocker,
  canDelete,
  canManage,
  consoleBlocker,
  powerActionsFor,
  type VmActionKind,
} from './vm-actions-model';

interface VmActionBarProps {
  vm: Vm;
  onAction: (kind: VmActionKind) => void;
  /** A start or resume just sent, before its operation shows on the VM. */
  sending?: boolean;
  className?: string;
}

const destructive = 'border-destructive/40 text-destructive hover:bg-destructive/10 hover:text-destructive';

/**
 * The VM's controls. Only the power actions that fit its power state are
 * shown; while an operation runs they stay in place, disabled, and say why.
 */
export function VmActionBar({ vm, onAction, sending, className }: VmActionBarProps) {
  const { t, format } = useI18n();
  const power = powerActionsFor(vm);
  const manage: VmActionKind[] = [
    ...(canManage(vm) ? (['resize', 'rename'] as const) : []),
    ...(canDelete(vm) ? (['delete'] as const) : []),
  ];
  const consoleHint = vm.activeOperation ? actionBlocker(vm, 'start', t, format) : consoleBlocker(vm, t);

  const button = (kind: VmActionKind) => {
    const Icon = actionIcon[kind];
    const blocker = actionBlocker(vm, kind, t, format) ?? (sending ? t('vms.actions.sending') : null);
    return (
      <Tooltip key={kind} content={blocker}>
        <Button
          variant="outline"
          size="sm"
          disabled={blocker !== null}
          onClick={() => onAction(kind)}
          className={cn((kind === 'delete' || kind === 'stop') && destructive)}
          data-testid={`vm-action-${kind}`}
        >
          <Icon aria-hidden />
          {t(`vms.actions.${kind}`)}
        </Button>
      </Tooltip>
    );
  };

  if (power.length === 0 && manage.length === 0) return null;
  return (
    <div
      role="toolbar"
      aria-label={t('vms.actions.toolbar', { name: vm.name })}
      className={cn('flex flex-wrap items-center gap-2', className)}
      data-testid="vm-actions"
    >
      {canManage(vm) ? (
        <Tooltip content={consoleHint}>
          {consoleHint ? (
            <Button size="sm" disabled data-testid="vm-console-button">
              <SquareTerminal aria-hidden />
              {t('vms.actions.console')}
            </Button>
          ) : (
            <Button size="sm" asChild data-testid="vm-console-button">
              <Link href={`/vms/${vm.id}/console`}>
                <SquareTerminal aria-hidden />
                {t('vms.actions.console')}
              </Link>
            </Button>
          )}
        </Tooltip>
      ) : null}
      {power.length > 0 ? <div className="flex flex-wrap items-center gap-2">{power.map(button)}</div> : null}
      {power.length > 0 && manage.length > 0 ? (
        <span aria-hidden className="mx-1 hidden h-6 w-px bg-border sm:block" />
      ) : null}
      {manage.length > 0 ? <div className="flex flex-wrap items-center gap-2">{manage.map(button)}</div> : null}
    </div>
  );
}
