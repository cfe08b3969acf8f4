/** Power state changes and pending-config application, shared by power, snapshot and node code. */
import type { VmModel } from '../model/types.js';
import { DRIVE_KEY_RE, parseDrive } from '../model/vm.js';
import type { SimContext } from './context.js';

/** Puts a detached disk into the first free `unusedN` slot (add_unused_volume). */
export function addUnused(vm: VmModel, volid: string): void {
  for (let i = 0; i <= 255; i++) {
    const key = `unused${i}`;
    if (vm.config[key] === volid) return;
    if (vm.config[key] === undefined && vm.pending[key] === undefined) {
      vm.config[key] = volid;
      return;
    }
  }
}

/**
 * Removes `key` from the live config. A data disk is not lost: it becomes `unusedN`, as
 * vmconfig_delete_or_detach_drive does; deleting an `unusedN` entry drops the volume itself.
 */
export function deleteOption(vm: VmModel, key: string): void {
  const value = vm.config[key];
  delete vm.config[key];
  if (value === undefined || !DRIVE_KEY_RE.test(key) || key.startsWith('unused')) return;
  const drive = parseDrive(key, value);
  if (drive && !drive.isCdrom && drive.file.includes(':')) addUnused(vm, drive.file);
}

/** vmconfig_apply_pending: what waited for a restart takes effect. */
export function applyPending(vm: VmModel): void {
  for (const key of Object.keys(vm.pendingDelete)) deleteOption(vm, key);
  for (const [key, value] of Object.entries(vm.pending)) vm.config[key] = value;
  vm.pending = {};
  vm.pendingDelete = {};
}

export function powerOn(ctx: SimContext, vm: VmModel): void {
  applyPending(vm);
  vm.runtime.status = 'running';
  vm.runtime.paused = false;
  vm.runtime.startedAt = ctx.clock.now();
  vm.runtime.pid = ctx.random.int(10_000, 4_000_000);
  ctx.usage.vmStarted(vm);
  ctx.model.touch();
}

export function powerOff(ctx: SimContext, vm: VmModel): void {
  vm.runtime.status = 'stopped';
  vm.runtime.paused = false;
  vm.runtime.startedAt = undefined;
  vm.runtime.pid = undefined;
  ctx.usage.vmStopped(vm);
  ctx.consoles.closeForVm(vm.vmid);
  ctx.model.touch();
}
