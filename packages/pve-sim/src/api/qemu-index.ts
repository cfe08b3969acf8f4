/** VM list, VM creation, the VM's directory index, and destroying a VM. */
import { randomUUID } from 'node:crypto';
import { hasPrivs, requirePrivs } from '../auth/permissions.js';
import { fail } from '../http/errors.js';
import type { ApiRequest } from '../http/router.js';
import { splitVolid } from '../model/cluster.js';
import { stoppedRuntime, type VmModel } from '../model/types.js';
import { addRandomMacs, DRIVE_KEY_RE, drives, newSmbios } from '../model/vm.js';
import { optBool, optInt, optStr, std } from '../params/builders.js';
import { vmConfigOptions } from '../params/vm-options.js';
import { VERSION } from '../options.js';
import { checkLock, loadVm, reloadVm, rootOnly, startTask } from './common.js';
import type { Route, SimContext } from './context.js';
import { resolveDriveValue } from './disks.js';
import { checkConfigPermissions } from './qemu-config.js';
import { vmStatus, vmStatusFull } from './views.js';
import { powerOn } from './vm-runtime.js';

function listVms(req: ApiRequest, ctx: SimContext) {
  const full = req.params.full === true;
  return ctx.model
    .vmsOn(req.params.node as string)
    .filter(() => !req.identity || hasPrivs(req.identity, ['VM.Audit']))
    .map((vm) => (full ? vmStatusFull(vm, ctx.clock) : vmStatus(vm, ctx.clock)));
}

const CREATE_EXTRA = new Set([
  'node',
  'vmid',
  'archive',
  'bwlimit',
  'force',
  'ha-managed',
  'live-restore',
  'pool',
  'start',
  'storage',
  'unique',
  'import-working-storage',
]);

/** POST /nodes/{node}/qemu: a new VM from parameters (restores from backups are not simulated). */
function createVm(req: ApiRequest, ctx: SimContext): string {
  const p = req.params;
  const node = p.node as string;
  const vmid = p.vmid as number;
  const identity = req.identity;
  if (identity) {
    if (p.pool) requirePrivs(identity, `/pool/${p.pool}`, ['VM.Allocate']);
    else requirePrivs(identity, `/vms/${vmid}`, ['VM.Allocate']);
  }
  if (p.archive) throw fail(`unable to restore VM ${vmid} - restoring backups is not supported by the simulator`);
  const existing = ctx.model.vms.get(vmid);
  if (existing) throw fail(`unable to create VM ${vmid} - VM ${vmid} already exists on node '${existing.node}'`);
  const options = Object.fromEntries(Object.entries(p).filter(([k, v]) => !CREATE_EXTRA.has(k) && v !== undefined));
  checkConfigPermissions(req, Object.keys(options));
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) config[k] = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
  if (config.cdrom) {
    config.ide2 = `${config.cdrom},media=cdrom`;
    delete config.cdrom;
  }
  const vm: VmModel = {
    vmid,
    node,
    config: { ...config, lock: 'create' },
    pending: {},
    pendingDelete: {},
    snapshots: {},
    runtime: stoppedRuntime(),
  };
  const log: string[] = [];
  for (const key of Object.keys(config)) {
    if (!DRIVE_KEY_RE.test(key)) continue;
    const res = resolveDriveValue(ctx, vm, key, config[key] as string, identity, p.storage as string | undefined);
    vm.config[key] = res.value;
    log.push(...res.log);
  }
  addRandomMacs(vm.config, ctx.random);
  vm.config.smbios1 ??= newSmbios();
  if (!vm.config.vmgenid || vm.config.vmgenid === '1') vm.config.vmgenid = randomUUID();
  vm.config.meta = `creation-qemu=${VERSION.qemu},ctime=${Math.floor(ctx.clock.now() / 1000)}`;
  if (p.pool) vm.pool = p.pool as string;
  ctx.model.addVm(vm);
  return startTask(ctx, req, {
    type: 'qmcreate',
    id: vmid,
    failureMessage: `unable to create VM ${vmid} - command 'lvcreate' failed: exit code 5`,
    run: async (task) => {
      try {
        await task.lockVm(vmid);
        for (const line of log) task.log(line);
        await task.sleep(ctx.durations.create);
        task.failpoint();
      } catch (err) {
        // A failed create leaves nothing behind.
        if (ctx.model.vms.get(vmid) === vm) ctx.model.removeVm(vmid);
        throw err;
      }
      delete vm.config.lock;
      ctx.model.touch();
      if (p.start === true) {
        task.log(`start VM ${vmid}`);
        await task.sleep(ctx.durations.start);
        powerOn(ctx, reloadVm(ctx, node, vmid));
      }
    },
  });
}

const VM_SUBDIRS = [
  'config',
  'pending',
  'cloudinit',
  'unlink',
  'vncproxy',
  'termproxy',
  'migrate',
  'resize',
  'move',
  'rrd',
  'rrddata',
  'monitor',
  'agent',
  'snapshot',
  'spiceproxy',
  'sendkey',
  'firewall',
  'mtunnel',
  'remote_migrate',
  'status',
];

/** DELETE /nodes/{node}/qemu/{vmid}: synchronous checks, then a qmdestroy task (Qemu.pm:2820-2893). */
function destroyVm(req: ApiRequest, ctx: SimContext): string {
  rootOnly(req, 'skiplock');
  const early = () => {
    const vm = loadVm(ctx, req);
    if (vm.config.protection === '1') throw fail(`can't remove VM ${vm.vmid} - protection mode enabled`);
    if (vm.runtime.status === 'running') throw fail(`VM ${vm.vmid} is running - destroy failed`);
    return vm;
  };
  const vm = early();
  const { node, vmid } = vm;
  return startTask(ctx, req, {
    type: 'qmdestroy',
    id: vmid,
    failureMessage: `lvremove 'pve/vm-${vmid}-disk-0' error:   Logical volume pve/vm-${vmid}-disk-0 in use.`,
    run: async (task) => {
      await task.lockVm(vmid);
      const current = early();
      if (!req.params.skiplock) checkLock(current);
      await task.sleep(ctx.durations.destroy);
      task.failpoint();
      const volids = new Set<string>();
      for (const conf of [current.config, current.pending, ...Object.values(current.snapshots).map((s) => s.config)]) {
        for (const d of drives(conf)) if (!d.isCdrom || d.isCloudinit) volids.add(d.file);
      }
      for (const volid of volids) {
        const [storeid, volname] = splitVolid(volid);
        const storage = storeid ? ctx.model.storage(storeid) : undefined;
        if (!storage || !volname) continue;
        if (storage.type === 'lvmthin')
          task.log(`  Logical volume "${volname.split('/').pop()}" successfully removed.`);
        else task.log(`Removing image: 100% complete...done.`);
      }
      if (req.params['destroy-unreferenced-disks'] === true) {
        const owned = ctx.model.volumes.filter((v) => v.vmid === vmid && v.content === 'images');
        for (const v of owned) ctx.model.volumes.splice(ctx.model.volumes.indexOf(v), 1);
      }
      if (req.params.purge) task.log(`purging VM ${vmid} from related configurations..`);
      ctx.consoles.closeForVm(vmid);
      if (ctx.model.vms.get(vmid)?.node === node) ctx.model.removeVm(vmid);
    },
  });
}

export const qemuIndexRoutes: Route[] = [
  {
    method: 'GET',
    path: '/nodes/{node}/qemu',
    name: 'vmlist',
    proxyToNode: true,
    params: { additionalProperties: false, properties: { node: std.node, full: optBool() } },
    permissions: { user: 'all' },
    handler: listVms,
  },
  {
    method: 'POST',
    path: '/nodes/{node}/qemu',
    name: 'create_vm',
    proxyToNode: true,
    params: {
      additionalProperties: false,
      properties: {
        ...vmConfigOptions,
        node: std.node,
        vmid: std.vmid,
        archive: optStr({ maxLength: 255 }),
        bwlimit: optInt({ minimum: 0 }),
        force: optBool(),
        'ha-managed': optBool({ default: 0 }),
        'import-working-storage': optStr({ format: 'pve-storage-id' }),
        'live-restore': optBool(),
        pool: optStr({ format: 'pve-poolid' }),
        start: optBool({ default: 0 }),
        storage: optStr({ format: 'pve-storage-id' }),
        unique: optBool(),
      },
    },
    permissions: { user: 'all' },
    handler: createVm,
  },
  {
    method: 'GET',
    path: '/nodes/{node}/qemu/{vmid}',
    name: 'vmdiridx',
    proxyToNode: true,
    params: { additionalProperties: false, properties: { node: std.node, vmid: std.vmid } },
    permissions: { user: 'all' },
    handler: (req, ctx) => {
      loadVm(ctx, req);
      return VM_SUBDIRS.map((subdir) => ({ subdir }));
    },
  },
  {
    method: 'DELETE',
    path: '/nodes/{node}/qemu/{vmid}',
    name: 'destroy_vm',
    proxyToNode: true,
    params: {
      additionalProperties: false,
      properties: {
        node: std.node,
        vmid: std.vmid,
        skiplock: std.skiplock,
        purge: optBool(),
        'destroy-unreferenced-disks': optBool({ default: 0 }),
      },
    },
    permissions: { check: ['perm', '/vms/{vmid}', ['VM.Allocate']] },
    handler: destroyVm,
  },
];
