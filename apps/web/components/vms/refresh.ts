import type { Vm } from '@uni-manager/contracts';

/** While an operation runs its steps change every few seconds; the user is watching them. */
export const BUSY_REFRESH_MS = 2_000;
/** Otherwise only the reconciler changes things (a guest shut itself down), about as often as this. */
export const IDLE_REFRESH_MS = 10_000;

export function isBusy(vm: Pick<Vm, 'activeOperation' | 'status'>): boolean {
  return vm.activeOperation !== null || vm.status === 'provisioning' || vm.status === 'deleting';
}

/** How soon to look again at a set of VMs: quickly while any of them is changing. */
export function refreshIntervalFor(vms: readonly Pick<Vm, 'activeOperation' | 'status'>[] | undefined): number {
  return vms?.some(isBusy) ? BUSY_REFRESH_MS : IDLE_REFRESH_MS;
}
