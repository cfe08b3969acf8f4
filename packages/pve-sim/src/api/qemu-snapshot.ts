/**
 * Snapshots: list (with the `current` entry), create (lock `snapshot` while the task runs),
 * delete (lock `snapshot-delete`), rollback (lock `rollback`; a running VM is stopped first).
 * Messages from [GC] AbstractConfig.pm and Qemu.pm:6180-6507.
 */
import { fail } from '../http/errors.js';
import type { ApiRequest } from '../http/router.js';
import type { VmModel } from '../model/types.js';
import { configDigest, isTemplate } from '../model/vm.js';
import { optBool, optStr, std } from '../params/builders.js';
import { checkLock, isRunning, loadVm, reloadVm, startTask } from './common.js';
import type { Route, SimContext } from './context.js';
import { powerOff, powerOn } from './vm-runtime.js';

function listSnapshots(req: ApiRequest, ctx: SimContext) {
  const vm = loadVm(ctx, req);
  const out: Record<string, unknown>[] = Object.values(vm.snapshots).map((s) => {
    const item: Record<string, unknown> = {
      name: s.name,
      snaptime: s.snaptime,
      vmstate: s.vmstate ? 1 : 0,
      description: s.description,
    };
    if (s.parent) item.parent = s.parent;
    return item;
  });
  const current: Record<string, unknown> = {
    name: 'current',
    digest: configDigest(vm),
    running: isRunning(vm) ? 1 : 0,
    description: 'You are here!',
  };
  if (vm.config.parent) current.parent = vm.config.parent;
  out.push(current);
  return out;
}

function createSnapshot(req: ApiRequest, ctx: SimContext): string {
  const snapname = req.params.snapname as string;
  if (snapname === 'current') throw fail("unable to use snapshot name 'current' (reserved name)");
  if (snapname.toLowerCase() === 'pending') throw fail("unable to use snapshot name 'pending' (reserved name)");
  const vm = loadVm(ctx, req);
  const withState = req.params.vmstate === true;
  return startTask(ctx, req, {
    type: 'qmsnapshot',
    id: vm.vmid,
    failureMessage: `VM ${vm.vmid} qmp command 'blockdev-snapshot-internal-sync' failed - got timeout`,
    run: async (task) => {
      let current: VmModel | undefined;
      await task.lockVm(vm.vmid);
      current = reloadVm(ctx, vm.node, vm.vmid);
      if (isTemplate(current.config)) throw fail("you can't take a snapshot if it's a template");
      checkLock(current);
      current.config.lock = 'snapshot';
      ctx.model.touch();
      try {
        if (current.snapshots[snapname]) throw fail(`snapshot name '${snapname}' already used`);
        const running = isRunning(current);
        if (withState && running) {
          task.log(`saving VM state and RAM using storage 'local-lvm'`);
          for (const pct of [25, 50, 75, 100]) {
            await task.sleep(ctx.durations.snapshot / 5);
            task.log(`${pct}% (${Math.round(pct * 20.48)} MiB)`);
          }
          task.log('completed saving the VM state');
        }
        task.log(`snapshotting 'drive-scsi0' (${current.config.scsi0?.split(',')[0] ?? 'none'})`);
        await task.sleep(withState && running ? ctx.durations.snapshot / 5 : ctx.durations.snapshot);
        if (current.config.scsi0?.startsWith('local-lvm:')) {
          task.log(`  Logical volume "snap_${current.config.scsi0.split(',')[0]?.split(':')[1]}_${snapname}" created.`);
        }
        task.failpoint();
        current = reloadVm(ctx, vm.node, vm.vmid);
        const config = { ...current.config };
        delete config.lock;
        const snapConfig = Object.fromEntries(Object.entries(config).filter(([k]) => k !== 'parent'));
        current.snapshots[snapname] = {
          name: snapname,
          snaptime: Math.floor(ctx.clock.now() / 1000),
          description: (req.params.description as string | undefined) ?? '',
          ...(current.config.parent ? { parent: current.config.parent } : {}),
          ...(withState && running ? { vmstate: `local-lvm:vm-${vm.vmid}-state-${snapname}` } : {}),
          config: snapConfig,
        };
        current.config.parent = snapname;
      } finally {
        if (current?.config.lock === 'snapshot') delete current.config.lock;
        ctx.model.touch();
      }
    },
  });
}

function deleteSnapshot(req: ApiRequest, ctx: SimContext): string {
  const snapname = req.params.snapname as string;
  const vm = loadVm(ctx, req);
  return startTask(ctx, req, {
    type: 'qmdelsnapshot',
    id: vm.vmid,
    failureMessage: `lvremove 'pve/snap_vm-${vm.vmid}-disk-0_${snapname}' error: got timeout`,
    run: async (task) => {
      await task.lockVm(vm.vmid);
      const current = reloadVm(ctx, vm.node, vm.vmid);
      const snap = current.snapshots[snapname];
      if (!snap) throw fail(`snapshot '${snapname}' does not exist`);
      if (!req.params.force) checkLock(current);
      current.config.lock = 'snapshot-delete';
      ctx.model.touch();
      try {
        await task.sleep(ctx.durations.snapshotDelete);
        task.failpoint();
        if (current.config.scsi0?.startsWith('local-lvm:')) {
          task.log(
            `  Logical volume "snap_${current.config.scsi0.split(',')[0]?.split(':')[1]}_${snapname}" successfully removed.`,
          );
        }
        // Children of the deleted snapshot now hang off its parent.
        for (const other of Object.values(current.snapshots)) if (other.parent === snapname) other.parent = snap.parent;
        if (current.config.parent === snapname) {
          if (snap.parent) current.config.parent = snap.parent;
          else delete current.config.parent;
        }
        delete current.snapshots[snapname];
      } finally {
        if (current.config.lock === 'snapshot-delete') delete current.config.lock;
        ctx.model.touch();
      }
    },
  });
}

function rollback(req: ApiRequest, ctx: SimContext): string {
  const snapname = req.params.snapname as string;
  const vm = loadVm(ctx, req);
  return startTask(ctx, req, {
    type: 'qmrollback',
    id: vm.vmid,
    failureMessage: `lvconvert 'pve/snap_vm-${vm.vmid}-disk-0_${snapname}' error: got timeout`,
    run: async (task) => {
      await task.lockVm(vm.vmid);
      const current = reloadVm(ctx, vm.node, vm.vmid);
      if (isTemplate(current.config)) throw fail("you can't rollback if vm is a template");
      const snap = current.snapshots[snapname];
      if (!snap) throw fail(`snapshot '${snapname}' does not exist`);
      checkLock(current);
      if (isRunning(current)) {
        task.log(`stopping VM ${current.vmid} for rollback`);
        await task.sleep(ctx.durations.stop);
        powerOff(ctx, current);
      }
      current.config.lock = 'rollback';
      ctx.model.touch();
      try {
        task.log(`  Logical volume "vm-${current.vmid}-disk-0" successfully removed.`);
        await task.sleep(ctx.durations.rollback);
        task.failpoint();
        task.log(`  Logical volume "vm-${current.vmid}-disk-0" created.`);
        current.config = { ...snap.config, parent: snapname };
        current.pending = {};
        current.pendingDelete = {};
      } finally {
        if (current.config.lock === 'rollback') delete current.config.lock;
        ctx.model.touch();
      }
      if (snap.vmstate || req.params.start === true) {
        task.log(`starting VM ${current.vmid}`);
        await task.sleep(ctx.durations.start);
        powerOn(ctx, current);
      }
    },
  });
}

const base = { node: std.node, vmid: std.vmid };

export const qemuSnapshotRoutes: Route[] = [
  {
    method: 'GET',
    path: '/nodes/{node}/qemu/{vmid}/snapshot',
    name: 'snapshot_list',
    proxyToNode: true,
    params: { additionalProperties: false, properties: base },
    permissions: { check: ['perm', '/vms/{vmid}', ['VM.Audit']] },
    handler: listSnapshots,
  },
  {
    method: 'POST',
    path: '/nodes/{node}/qemu/{vmid}/snapshot',
    name: 'snapshot',
    proxyToNode: true,
    params: {
      additionalProperties: false,
      properties: { ...base, snapname: std.snapname, vmstate: optBool(), description: optStr() },
    },
    permissions: { check: ['perm', '/vms/{vmid}', ['VM.Snapshot']] },
    handler: createSnapshot,
  },
  {
    method: 'GET',
    path: '/nodes/{node}/qemu/{vmid}/snapshot/{snapname}',
    name: 'snapshot_cmd_idx',
    params: { additionalProperties: false, properties: { ...base, snapname: std.snapname } },
    permissions: { user: 'all' },
    handler: () => [{ cmd: 'rollback' }, { cmd: 'config' }],
  },
  {
    method: 'DELETE',
    path: '/nodes/{node}/qemu/{vmid}/snapshot/{snapname}',
    name: 'delsnapshot',
    proxyToNode: true,
    params: { additionalProperties: false, properties: { ...base, snapname: std.snapname, force: optBool() } },
    permissions: { check: ['perm', '/vms/{vmid}', ['VM.Snapshot']] },
    handler: deleteSnapshot,
  },
  {
    method: 'POST',
    path: '/nodes/{node}/qemu/{vmid}/snapshot/{snapname}/rollback',
    name: 'rollback',
    proxyToNode: true,
    params: {
      additionalProperties: false,
      properties: { ...base, snapname: std.snapname, start: optBool({ default: 0 }) },
    },
    permissions: { check: ['perm', '/vms/{vmid}', ['VM.Snapshot', 'VM.Snapshot.Rollback'], { any: true }] },
    handler: rollback,
  },
];
