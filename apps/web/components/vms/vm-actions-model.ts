import type { Vm } from '@uni-manager/contracts';
import type { Formatters } from '@/lib/i18n/format';
import type { Translate } from '@/lib/i18n/translate';
import { vmStatusLabel } from './vm-status';

export type PowerKind = 'start' | 'shutdown' | 'reboot' | 'suspend' | 'resume' | 'stop';
export type VmActionKind = PowerKind | 'resize' | 'rename' | 'delete';

/** Actions that lose work or interrupt the guest are confirmed; starting and resuming are not. */
export const confirmedPower = ['shutdown', 'stop', 'reboot', 'suspend'] as const;
export type ConfirmedPowerKind = (typeof confirmedPower)[number];

export function needsConfirmation(kind: PowerKind): kind is ConfirmedPowerKind {
  return (confirmedPower as readonly string[]).includes(kind);
}

/** The power buttons that make sense for the VM's power state, in the order they are shown. */
export function powerActionsFor(vm: Pick<Vm, 'status' | 'powerState'>): PowerKind[] {
  // While it is being created (or is anything but active) there is nothing to power on or off yet.
  if (vm.status !== 'active') return [];
  switch (vm.powerState) {
    case 'running':
      return ['shutdown', 'reboot', 'suspend', 'stop'];
    case 'paused':
      return ['resume', 'stop'];
    case 'stopped':
      return ['start'];
    case 'unknown':
      return ['start', 'stop'];
  }
}

export function canManage(vm: Pick<Vm, 'status'>): boolean {
  return vm.status === 'active' || vm.status === 'provisioning';
}

export function canDelete(vm: Pick<Vm, 'status'>): boolean {
  return vm.status === 'active' || vm.status === 'failed' || vm.status === 'lost' || vm.status === 'provisioning';
}

/**
 * Why an action cannot be taken now, in words for a tooltip, or null when it
 * can. The API would answer VM_BUSY or INVALID_STATE_TRANSITION; saying so
 * before the click spares the round trip.
 */
export function actionBlocker(vm: Vm, kind: VmActionKind, t: Translate, format: Formatters): string | null {
  if (vm.activeOperation) return t('vms.actions.busyHint', { state: vmStatusLabel(vm, t, format) });
  if (kind === 'delete')
    return canDelete(vm) ? null : t('vms.actions.stateHint', { state: vmStatusLabel(vm, t, format) });
  if (vm.status !== 'active') return t('vms.actions.stateHint', { state: vmStatusLabel(vm, t, format) });
  return null;
}

export function consoleBlocker(vm: Vm, t: Translate): string | null {
  if (vm.status !== 'active' || vm.powerState !== 'running') return t('vms.actions.consoleHint');
  return null;
}
