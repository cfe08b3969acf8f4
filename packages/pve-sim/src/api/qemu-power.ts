/**
 * status/current and the power operations. Each answers with a UPID; what Proxmox checks
 * synchronously ("VM 100 not running", "VM is paused - cannot shutdown") answers 500 at once,
 * what it checks in the worker ("VM is locked (clone)", "VM 100 already running", "you can't
 * start a vm if it's a template") fails the task (BEHAVIOUR.md, UPID and tasks).
 */
import { requirePrivs } from '../auth/permissions.js';
import { fail } from '../http/errors.js';
import type { ApiRequest } from '../http/router.js';
import type { VmModel } from '../model/types.js';
import { drives, isTemplate } from '../model/vm.js';
import { readPropertyString } from '../params/property-string.js';
import { agentFormat, machineFormat } from '../params/property-formats.js';
import { dict, opt, optBool, optEnum, optInt, optStr, std } from '../params/builders.js';
import type { ParamDef } from '../params/types.js';
import type { TaskContext } from '../tasks/task-manager.js';
import { checkLock, isRunning, loadVm, reloadVm, requireRunning, rootOnly, startTask } from './common.js';
import type { Route, SimContext } from './context.js';
import { vmStatusFull } from './views.js';
import { powerOff, powerOn } from './vm-runtime.js';

function statusCurrent(req: ApiRequest, ctx: SimContext) {
  const vm = loadVm(ctx, req);
  const status = vmStatusFull(vm, ctx.clock);
  status.ha = { managed: 0 };
  if (readPropertyString(agentFormat, vm.config.agent).enabled === '1') status.agent = 1;
  return status;
}

/** Starts a power task that re-reads the VM under its file lock. */
function powerTask(
  req: ApiRequest,
  ctx: SimContext,
  type: string,
  failureMessage: string,
  body: (vm: VmModel, task: TaskContext) => Promise<void>,
): string {
  const node = req.params.node as string;
  const vmid = req.params.vmid as number;
  return startTask(ctx, req, {
    type,
    id: vmid,
    failureMessage,
    run: async (task) => {
      await task.lockVm(vmid);
      await body(reloadVm(ctx, node, vmid), task);
    },
  });
}

function start(req: ApiRequest, ctx: SimContext): string {
  rootOnly(
    req,
    'skiplock',
    'stateuri',
    'migratedfrom',
    'migration_type',
    'migration_network',
    'targetstorage',
    'force-cpu',
    'nets-host-mtu',
    'with-conntrack-state',
  );
  const vm = loadVm(ctx, req);
  return powerTask(req, ctx, 'qmstart', `start failed: QEMU exited with code 1`, async (current, task) => {
    if (isTemplate(current.config)) throw fail("you can't start a vm if it's a template");
    const suspended = current.config.lock === 'suspended';
    if (!req.params.skiplock && !suspended) checkLock(current);
    if (isRunning(current)) throw fail(`VM ${vm.vmid} already running`);
    if (!suspended && drives(current.config).some((d) => d.isCloudinit)) task.log('generating cloud-init ISO');
    if (suspended) task.log(`resuming VM ${vm.vmid} from suspended state`);
    await task.sleep(ctx.durations.start);
    task.failpoint();
    if (suspended) resumeFromDisk(ctx, current);
    else powerOn(ctx, current);
  });
}

/** A VM suspended to disk comes back with its saved state; pending changes keep waiting. */
function resumeFromDisk(ctx: SimContext, vm: VmModel): void {
  const pending = vm.pending;
  const pendingDelete = vm.pendingDelete;
  vm.pending = {};
  vm.pendingDelete = {};
  powerOn(ctx, vm);
  vm.pending = pending;
  vm.pendingDelete = pendingDelete;
  delete vm.config.lock;
  delete vm.config.vmstate;
  delete vm.config.runningmachine;
  ctx.model.touch();
}

function stop(req: ApiRequest, ctx: SimContext): string {
  rootOnly(req, 'skiplock', 'keepActive', 'migratedfrom');
  const vm = loadVm(ctx, req);
  if (req.params['overrule-shutdown']) {
    for (const t of ctx.tasks.running()) {
      if (t.type === 'qmshutdown' && t.id === String(vm.vmid)) ctx.tasks.stop(t.upid);
    }
  }
  return powerTask(req, ctx, 'qmstop', `VM quit/powerdown failed`, async (current, task) => {
    if (!req.params.skiplock) checkLock(current);
    if (!isRunning(current)) return;
    await task.sleep(ctx.durations.stop);
    task.failpoint();
    powerOff(ctx, current);
  });
}

/** A graceful stop that honours `timeout`: a guest slower than it fails, or is killed with forceStop. */
async function gracefulStop(
  ctx: SimContext,
  vm: VmModel,
  task: TaskContext,
  timeoutS: number | undefined,
  forceStop: boolean,
  simMs: number,
): Promise<void> {
  const limitMs = timeoutS === undefined ? Infinity : timeoutS * 1000;
  if (simMs <= limitMs) {
    await task.sleep(simMs);
    return;
  }
  await task.sleep(limitMs);
  if (!forceStop) throw fail('VM quit/powerdown failed - got timeout');
  task.log('VM still running - terminating now with SIGTERM');
  await task.sleep(Math.min(ctx.durations.stop, 1000));
}

function shutdown(req: ApiRequest, ctx: SimContext): string {
  rootOnly(req, 'skiplock', 'keepActive');
  const vm = loadVm(ctx, req);
  const forceStop = req.params.forceStop === true;
  let hardStop = false;
  if (vm.runtime.paused) {
    if (!forceStop) throw fail('VM is paused - cannot shutdown');
    hardStop = true;
  }
  return powerTask(req, ctx, 'qmshutdown', 'VM quit/powerdown failed - got timeout', async (current, task) => {
    if (hardStop) task.warn('VM is paused - stop instead of shutdown');
    if (!req.params.skiplock) checkLock(current);
    if (!isRunning(current)) return;
    const duration = hardStop ? ctx.durations.stop : ctx.durations.shutdown;
    await gracefulStop(ctx, current, task, req.params.timeout as number | undefined, forceStop, duration);
    task.failpoint();
    powerOff(ctx, current);
  });
}

function reboot(req: ApiRequest, ctx: SimContext): string {
  const vm = loadVm(ctx, req);
  if (vm.runtime.paused) throw fail('VM is paused - cannot shutdown');
  requireRunning(vm);
  return powerTask(req, ctx, 'qmreboot', 'VM quit/powerdown failed - got timeout', async (current, task) => {
    checkLock(current);
    // Only reboot if running: qmeventd would start it again on a stop event (vm_reboot).
    if (!isRunning(current)) return;
    const down = Math.round(ctx.durations.reboot * 0.6);
    await gracefulStop(ctx, current, task, req.params.timeout as number | undefined, false, down);
    task.failpoint();
    powerOff(ctx, current);
    await task.sleep(ctx.durations.reboot - down);
    // The new QEMU process starts with the pending changes applied.
    powerOn(ctx, reloadVm(ctx, current.node, current.vmid));
  });
}

function reset(req: ApiRequest, ctx: SimContext): string {
  rootOnly(req, 'skiplock');
  const vm = loadVm(ctx, req);
  requireRunning(vm);
  return powerTask(
    req,
    ctx,
    'qmreset',
    `VM ${vm.vmid} qmp command 'system_reset' failed - got timeout`,
    async (current, task) => {
      if (!req.params.skiplock) checkLock(current);
      requireRunning(current);
      await task.sleep(ctx.durations.reset);
      task.failpoint();
      // Same QEMU process: uptime goes on, the guest reboots.
      current.runtime.paused = false;
      ctx.model.touch();
    },
  );
}

function suspend(req: ApiRequest, ctx: SimContext): string {
  rootOnly(req, 'skiplock');
  const vm = loadVm(ctx, req);
  requireRunning(vm);
  const todisk = req.params.todisk === true;
  if (todisk && req.identity) {
    requirePrivs(req.identity, `/vms/${vm.vmid}`, ['VM.Config.Disk']);
    const storage = (req.params.statestorage as string | undefined) ?? 'local-lvm';
    requirePrivs(req.identity, `/storage/${storage}`, ['Datastore.AllocateSpace']);
  }
  if (!todisk) {
    return powerTask(
      req,
      ctx,
      'qmpause',
      `VM ${vm.vmid} qmp command 'stop' failed - got timeout`,
      async (current, task) => {
        if (!req.params.skiplock) checkLock(current);
        requireRunning(current);
        await task.sleep(ctx.durations.pause);
        task.failpoint();
        current.runtime.paused = true;
        current.runtime.cpu = 0;
        ctx.model.touch();
      },
    );
  }
  return powerTask(
    req,
    ctx,
    'qmsuspend',
    `VM ${vm.vmid} qmp command 'savevm-start' failed - unable to save state`,
    async (current, task) => {
      if (!req.params.skiplock) checkLock(current);
      requireRunning(current);
      const storeid = (req.params.statestorage as string | undefined) ?? current.config.vmstatestorage ?? 'local-lvm';
      const storage = ctx.model.requireStorage(storeid, current.node);
      current.config.lock = 'suspending';
      ctx.model.touch();
      try {
        const date = new Date(ctx.clock.now()).toISOString().slice(0, 10);
        const volname =
          storage.type === 'lvmthin'
            ? `vm-${current.vmid}-state-suspend-${date}`
            : `${current.vmid}/vm-${current.vmid}-state-suspend-${date}.raw`;
        task.log(`suspend VM ${current.vmid} to disk: ${storeid}:${volname}`);
        for (let i = 1; i <= 4; i++) {
          await task.sleep(ctx.durations.suspendToDisk / 4);
          task.log(`${i * 25}% (${i * 256} MiB)`);
        }
        task.failpoint();
        current.config.vmstate = `${storeid}:${volname}`;
        current.config.runningmachine = 'pc-i440fx-10.1+pve0';
        current.config.lock = 'suspended';
        powerOff(ctx, current);
      } catch (err) {
        if (current.config.lock === 'suspending') delete current.config.lock;
        ctx.model.touch();
        throw err;
      }
    },
  );
}

function resume(req: ApiRequest, ctx: SimContext): string {
  rootOnly(req, 'skiplock', 'nocheck');
  const vm = loadVm(ctx, req);
  const toDiskSuspended = vm.config.lock === 'suspended';
  if (!toDiskSuspended && !isRunning(vm)) throw fail(`VM ${vm.vmid} not running`);
  return powerTask(
    req,
    ctx,
    'qmresume',
    `VM ${vm.vmid} qmp command 'cont' failed - got timeout`,
    async (current, task) => {
      if (current.config.lock === 'suspended') {
        task.log(`resuming VM ${current.vmid} from suspended state`);
        await task.sleep(ctx.durations.start);
        task.failpoint();
        resumeFromDisk(ctx, current);
        return;
      }
      if (!req.params.skiplock) checkLock(current);
      requireRunning(current);
      await task.sleep(ctx.durations.resume);
      task.failpoint();
      current.runtime.paused = false;
      ctx.model.touch();
    },
  );
}

const base = { node: std.node, vmid: std.vmid };
const perm = { check: ['perm', '/vms/{vmid}', ['VM.PowerMgmt']] } as const;
const spec = (extra: Record<string, ParamDef>) => ({ additionalProperties: false, properties: { ...base, ...extra } });

export const qemuPowerRoutes: Route[] = [
  {
    method: 'GET',
    path: '/nodes/{node}/qemu/{vmid}/status/current',
    name: 'vm_status',
    proxyToNode: true,
    params: spec({}),
    permissions: { check: ['perm', '/vms/{vmid}', ['VM.Audit']] },
    handler: statusCurrent,
  },
  {
    method: 'POST',
    path: '/nodes/{node}/qemu/{vmid}/status/start',
    name: 'vm_start',
    proxyToNode: true,
    params: spec({
      skiplock: std.skiplock,
      stateuri: optStr({ maxLength: 128 }),
      migratedfrom: optStr({ format: 'pve-node' }),
      migration_type: optEnum(['secure', 'insecure']),
      migration_network: optStr({ format: 'CIDR' }),
      machine: opt(dict(machineFormat)),
      targetstorage: optStr({ format: 'storage-pair-list' }),
      timeout: optInt({ minimum: 0 }),
      'force-cpu': optStr(),
      'nets-host-mtu': optStr({ pattern: 'net\\d+=\\d+(,net\\d+=\\d+)*' }),
      'with-conntrack-state': optBool({ default: 0 }),
    }),
    permissions: perm,
    handler: start,
  },
  {
    method: 'POST',
    path: '/nodes/{node}/qemu/{vmid}/status/stop',
    name: 'vm_stop',
    proxyToNode: true,
    params: spec({
      skiplock: std.skiplock,
      migratedfrom: optStr({ format: 'pve-node' }),
      timeout: optInt({ minimum: 0 }),
      keepActive: optBool({ default: 0 }),
      'overrule-shutdown': optBool({ default: 0 }),
    }),
    permissions: perm,
    handler: stop,
  },
  {
    method: 'POST',
    path: '/nodes/{node}/qemu/{vmid}/status/shutdown',
    name: 'vm_shutdown',
    proxyToNode: true,
    params: spec({
      skiplock: std.skiplock,
      timeout: optInt({ minimum: 0 }),
      forceStop: optBool({ default: 0 }),
      keepActive: optBool({ default: 0 }),
    }),
    permissions: perm,
    handler: shutdown,
  },
  {
    method: 'POST',
    path: '/nodes/{node}/qemu/{vmid}/status/reboot',
    name: 'vm_reboot',
    proxyToNode: true,
    params: spec({ timeout: optInt({ minimum: 0 }) }),
    permissions: perm,
    handler: reboot,
  },
  {
    method: 'POST',
    path: '/nodes/{node}/qemu/{vmid}/status/reset',
    name: 'vm_reset',
    proxyToNode: true,
    params: spec({ skiplock: std.skiplock }),
    permissions: perm,
    handler: reset,
  },
  {
    method: 'POST',
    path: '/nodes/{node}/qemu/{vmid}/status/suspend',
    name: 'vm_suspend',
    proxyToNode: true,
    params: spec({
      skiplock: std.skiplock,
      todisk: optBool({ default: 0 }),
      statestorage: optStr({ format: 'pve-storage-id' }),
    }),
    permissions: perm,
    handler: suspend,
  },
  {
    method: 'POST',
    path: '/nodes/{node}/qemu/{vmid}/status/resume',
    name: 'vm_resume',
    proxyToNode: true,
    params: spec({ skiplock: std.skiplock, nocheck: optBool() }),
    permissions: perm,
    handler: resume,
  },
];
