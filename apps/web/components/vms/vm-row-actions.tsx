'use client';

import type { Vm } from '@uni-manager/contracts';
import { SquareTerminal } from 'lucide-react';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { Tooltip } from '@/components/ui/tooltip';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { actionIcon } from './action-visuals';
import { actionBlocker, consoleBlocker, powerActionsFor, type VmActionKind } from './vm-actions-model';

interface VmRowActionsProps {
  vm: Vm;
  /** The VM page's own `run` (useVmActions): the same confirmations and toasts. */
  onAction: (kind: VmActionKind) => void;
  /** A start just sent for this VM, before its operation shows on it. */
  sending: boolean;
}

/**
 * A list row's own controls: Start when the VM is off, Shut down when it
 * runs, and its console. Only what fits its power state is shown; while an
 * operation runs they stay in place, disabled, and say why on hover.
 */
export function VmRowActions({ vm, onAction, sending }: VmRowActionsProps) {
  const { t, format } = useI18n();
  const fits = powerActionsFor(vm);
  const power = (['start', 'shutdown'] as const).filter((kind) => fits.includes(kind));
  const consoleHint = vm.activeOperation ? actionBlocker(vm, 'start', t, format) : consoleBlocker(vm, t);
  if (vm.status !== 'active') return null;

  return (
    <div className="flex items-center justify-end gap-1" data-testid="vm-row-action-bar">
      {power.map((kind) => {
        const Icon = actionIcon[kind];
        const label = t('vms.list.rowAction', { action: t(`vms.actions.${kind}`), name: vm.name });
        const blocker = actionBlocker(vm, kind, t, format) ?? (sending ? t('vms.actions.sending') : null);
        return (
          // Disabled, the tooltip says why; enabled, a plain title names the icon without an extra tab stop.
          <Tooltip key={kind} content={blocker}>
            <Button
              variant="ghost"
              size="icon-sm"
              aria-label={label}
              title={blocker ? undefined : t(`vms.actions.${kind}`)}
              disabled={blocker !== null}
              onClick={() => onAction(kind)}
              data-testid={`vm-row-action-${kind}`}
            >
              <Icon aria-hidden />
            </Button>
          </Tooltip>
        );
      })}
      <Tooltip content={consoleHint}>
        {consoleHint ? (
          <Button
            variant="ghost"
            size="icon-sm"
            disabled
            aria-label={t('vms.list.rowAction', { action: t('vms.actions.console'), name: vm.name })}
            data-testid="vm-row-action-console"
          >
            <SquareTerminal aria-hidden />
          </Button>
        ) : (
          <Button variant="ghost" size="icon-sm" asChild data-testid="vm-row-action-console">
            <Link
              href={`/vms/${vm.id}/console`}
              title={t('vms.actions.console')}
              aria-label={t('vms.list.rowAction', { action: t('vms.actions.console'), name: vm.name })}
            >
              <SquareTerminal aria-hidden />
            </Link>
          </Button>
        )}
      </Tooltip>
    </div>
  );
}
