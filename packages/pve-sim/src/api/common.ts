/** Helpers shared by the VM endpoints: look-ups, Proxmox's common checks, starting tasks. */
import { paramError, fail } from '../http/errors.js';
import type { ApiRequest } from '../http/router.js';
import type { VmModel } from '../model/types.js';
import type { TaskBody } from '../tasks/task-manager.js';
import type { SimContext } from './context.js';

export function node(req: ApiRequest): string {
  return req.params.node as string;
}

export function vmid(req: ApiRequest): number {
  return req.params.vmid as number;
}

/** The VM named by {node}/{vmid}, or the "Configuration file … does not exist" 500. */
export function loadVm(ctx: SimContext, req: ApiRequest): VmModel {
  return ctx.model.vmOn(node(req), vmid(req));
}

/** Re-reads the VM inside a task: it may have been destroyed (or vanished) meanwhile. */
export function reloadVm(ctx: SimContext, nodeName: string, id: number): VmModel {
  return ctx.model.vmOn(nodeName, id);
}

/** check_lock ([GC] AbstractConfig.pm:339): "VM is locked (clone)". */
export function checkLock(vm: VmModel): void {
  if (vm.config.lock) throw fail(`VM is locked (${vm.config.lock})`);
}

export function isRunning(vm: VmModel): boolean {
  return vm.runtime.status === 'running';
}

export function requireRunning(vm: VmModel): void {
  if (!isRunning(vm)) throw fail(`VM ${vm.vmid} not running`);
}

/** The id tasks and tickets carry: the token id for token calls (`root@pam!uni-manager`). */
export function authid(req: ApiRequest): string {
  return req.identity?.authid ?? 'root@pam';
}

/** Options Proxmox reserves for the real root@pam (a token of root is not root@pam). */
export function rootOnly(req: ApiRequest, ...keys: string[]): void {
  for (const key of keys) {
    if (req.params[key] && authid(req) !== 'root@pam') throw paramError({ [key]: 'Only root may use this option.' });
  }
}

/** Starts a worker task for a request and returns its UPID (what the API answers). */
export function startTask(
  ctx: SimContext,
  req: ApiRequest,
  opts: { type: string; id?: string | number; node?: string; run: TaskBody; failureMessage?: string },
): string {
  return ctx.tasks.start({
    node: opts.node ?? node(req),
    type: opts.type,
    id: opts.id,
    user: authid(req),
    run: opts.run,
    failureMessage: opts.failureMessage,
  }).upid;
}

/** A pseudo-random QEMU pid for a started VM. */
export function qemuPid(ctx: SimContext): number {
  return ctx.random.int(10_000, 4_000_000);
}
