/**
 * Clone and template conversion (Qemu.pm:4425-4749, 6540-6590). The new VM exists from the
 * start with `lock: clone` and its name, so a panel polling /cluster/resources sees it; anything
 * done to it meanwhile fails with "VM is locked (clone)" (BEHAVIOUR.md, Clone).
 */
import { requirePrivs } from '../auth/permissions.js';
import { fail, paramError } from '../http/errors.js';
import type { ApiRequest } from '../http/router.js';
import { diskVolname, splitVolid } from '../model/cluster.js';
import { humanSize } from '../model/sizes.js';
import { stoppedRuntime, type StorageModel, type VmConfig, type VmModel } from '../model/types.js';
import { drives, isTemplate, newSmbios, parseNet, printNet, randomMac, type Drive } from '../model/vm.js';
import { printPropertyString } from '../params/property-string.js';
import { diskKeys, optBool, optEnum, optInt, optStr, std, opt } from '../params/builders.js';
import { randomUUID } from 'node:crypto';
import type { TaskContext } from '../tasks/task-manager.js';
import { TaskInterrupted } from '../tasks/task-manager.js';
import { checkLock, isRunning, loadVm, reloadVm, startTask } from './common.js';
import type { Route, SimContext } from './context.js';

/** Keys a clone does not copy: snapshot state and runtime leftovers (Qemu.pm:4508-4525). */
const NOT_COPIED =
  /^(snapshots|parent|snaptime|vmstate|snapstate|runningcpu|runningmachine|running-nets-host-mtu|lock|unused\d+|template)$/;

interface DiskPlan {
  drive: Drive;
  full: boolean;
  targetStorage: StorageModel;
}

function clone(req: ApiRequest, ctx: SimContext): string {
  const p = req.params;
  const node = p.node as string;
  const newid = p.newid as number;
  let target = p.target as string | undefined;
  if (target === node || target === 'localhost') target = undefined;
  const storageId = p.storage as string | undefined;
  const format = p.format as string | undefined;
  const snapname = p.snapname as string | undefined;

  if (target && !ctx.model.node(target)) throw fail(`no such cluster node '${target}'`);
  let storage: StorageModel | undefined;
  if (storageId) {
    storage = ctx.model.requireStorage(storageId, node);
    if (!storage.content.includes('images'))
      throw paramError({ storage: `storage '${storageId}' does not support vm images` });
    if (target) {
      ctx.model.requireStorage(storageId, target);
      if (!storage.shared) throw fail(`can't clone to non-shared storage '${storageId}'`);
    }
  }
  const source = loadVm(ctx, req);
  checkLock(source);
  if (snapname && !source.snapshots[snapname]) throw fail(`snapshot '${snapname}' does not exist`);
  const full = (p.full as boolean | undefined) ?? !isTemplate(source.config);
  if (storageId !== undefined && !full) throw fail("parameter 'storage' not allowed for linked clones");
  if (format !== undefined && !full) throw fail("parameter 'format' not allowed for linked clones");
  const oldconf = snapname ? (source.snapshots[snapname]?.config as VmConfig) : source.config;

  const plans: DiskPlan[] = [];
  let shared = true;
  for (const d of drives(oldconf)) {
    if (d.key.startsWith('unused') || (d.isCdrom && !d.isCloudinit)) continue;
    const [sid] = splitVolid(d.file);
    const srcStorage = sid ? ctx.model.storage(sid) : undefined;
    if (!srcStorage) throw fail(`storage '${sid}' does not exist`);
    if (!srcStorage.shared) shared = false;
    const diskFull = full || d.isCloudinit || d.key === 'tpmstate0';
    if (!diskFull && !/(^|\/)base-\d+-disk-\d+/.test(splitVolid(d.file)[1] ?? '')) {
      throw fail(`Linked clone feature is not supported for${snapname ? ' a snapshot of' : ''} '${d.file}' (${d.key})`);
    }
    const targetStorage = diskFull && storage ? storage : srcStorage;
    if (req.identity) requirePrivs(req.identity, `/storage/${targetStorage.id}`, ['Datastore.AllocateSpace']);
    plans.push({ drive: d, full: diskFull, targetStorage });
  }
  if (target && !shared && !(storage?.shared ?? false))
    throw fail(`can't clone VM to node '${target}' (VM uses local storage)`);
  if (ctx.model.vms.has(newid)) throw fail(`unable to create VM ${newid}: config file already exists`);

  // The clone's config exists at once, locked, so no second clone can take the VMID.
  const newconf: VmConfig = { lock: 'clone' };
  for (const [k, v] of Object.entries(oldconf)) {
    if (NOT_COPIED.test(k) || plans.some((pl) => pl.drive.key === k)) continue;
    if (/^net\d+$/.test(k)) {
      const net = parseNet(v);
      net.macaddr = randomMac(ctx.random);
      newconf[k] = printNet(net);
    } else {
      newconf[k] = v;
    }
  }
  newconf.smbios1 = newSmbios();
  if (newconf.vmgenid) newconf.vmgenid = randomUUID();
  newconf.name = (p.name as string | undefined) ?? `Copy-of-VM-${oldconf.name ?? source.vmid}`;
  if (p.description) newconf.description = p.description as string;
  const vm: VmModel = {
    vmid: newid,
    node,
    config: newconf,
    pending: {},
    pendingDelete: {},
    snapshots: {},
    runtime: stoppedRuntime(),
  };
  ctx.model.addVm(vm);

  const running = isRunning(source);
  return startTask(ctx, req, {
    type: 'qmclone',
    id: source.vmid,
    failureMessage: `clone failed: command '/usr/bin/qemu-img convert -p -n -f raw -O raw' failed: exit code 1`,
    run: async (task) => {
      try {
        // A stopped source is only shared-locked: many clones of one template run side by side.
        await task.lockVm(source.vmid, { shared: !running, timeoutMs: 1_000 });
        await task.lockVm(newid, { timeoutMs: 1_000 });
        reloadVm(ctx, node, source.vmid);
        const dataDisks = plans.filter((pl) => pl.full && !pl.drive.isCloudinit).length;
        for (const plan of plans) {
          const volid = cloneDisk(ctx, vm, plan, format, task);
          const share = plan.full && !plan.drive.isCloudinit ? ctx.durations.cloneFull / Math.max(1, dataDisks) : 0;
          if (plan.full && !plan.drive.isCloudinit) await copyProgress(task, plan.drive, share, running);
          const props = { ...plan.drive.props, file: volid };
          vm.config[plan.drive.key] = printPropertyString(props, 'file');
          ctx.model.touch();
        }
        if (!full) await task.sleep(ctx.durations.cloneLinked);
        task.failpoint();
        if (ctx.model.vms.get(newid) !== vm) throw fail(`unable to create VM ${newid}: config file vanished`);
        delete vm.config.lock;
        if (target) vm.node = target;
        if (p.pool) vm.pool = p.pool as string;
        ctx.model.touch();
      } catch (err) {
        // Like Qemu.pm:4720-4727: free the new volumes, remove the config, report "clone failed: …".
        if (ctx.model.vms.get(newid) === vm) ctx.model.removeVm(newid);
        const msg =
          err instanceof TaskInterrupted ? 'interrupted by signal' : (err as Error).message.replace(/\n$/, '');
        throw fail(`clone failed: ${msg}`);
      }
    },
  });
}

/** Allocates the clone's volume for one drive and logs it the way clone_disk does. */
function cloneDisk(
  ctx: SimContext,
  vm: VmModel,
  plan: DiskPlan,
  format: string | undefined,
  task: TaskContext,
): string {
  const { drive, targetStorage } = plan;
  task.log(`create ${plan.full ? 'full' : 'linked'} clone of drive ${drive.key} (${drive.file})`);
  let volname: string;
  if (drive.isCloudinit) {
    volname = diskVolname(targetStorage, vm.vmid, `vm-${vm.vmid}-cloudinit`);
  } else if (plan.full) {
    const allocated = ctx.model.allocDiskName(targetStorage, vm.node, vm.vmid);
    volname = splitVolid(allocated)[1] as string;
    if (targetStorage.type !== 'lvmthin' && format && format !== 'qcow2')
      volname = volname.replace(/\.qcow2$/, `.${format}`);
  } else {
    const base = splitVolid(drive.file)[1] as string;
    const own = splitVolid(ctx.model.allocDiskName(targetStorage, vm.node, vm.vmid))[1] as string;
    volname = `${base}/${own}`;
  }
  const shortName = volname.split('/').pop() as string;
  if (targetStorage.type === 'lvmthin') task.log(`  Logical volume "${shortName}" created.`);
  else
    task.log(
      `Formatting '/mnt/pve/${targetStorage.id}/images/${vm.vmid}/${shortName}', fmt=${format ?? 'qcow2'} size=${drive.size ?? 0}`,
    );
  return `${targetStorage.id}:${volname}`;
}

/** Progress lines while a disk copies: qemu-img style for a stopped source, drive-mirror for a running one. */
async function copyProgress(task: TaskContext, drive: Drive, simMs: number, running: boolean): Promise<void> {
  const total = drive.size ?? 0;
  const steps = 10;
  if (running) task.log(`drive mirror is starting for drive-${drive.key}`);
  else task.log(`transferred 0.0 B of ${humanSize(total)} (0.00%)`);
  for (let i = 1; i <= steps; i++) {
    await task.sleep(simMs / steps);
    const done = Math.round((total * i) / steps);
    const pct = ((i / steps) * 100).toFixed(2);
    if (running) {
      const secs = Math.round((simMs * i) / steps / 1000);
      task.log(
        `drive-${drive.key}: transferred ${humanSize(done)} of ${humanSize(total)} (${pct}%) in ${secs}s${i === steps ? ', ready' : ''}`,
      );
    } else {
      task.log(`transferred ${humanSize(done)} of ${humanSize(total)} (${pct}%)`);
    }
  }
  if (running) {
    task.log(`all 'mirror' jobs are ready`);
    task.log(`drive-${drive.key}: Completing block job...`);
    task.log(`drive-${drive.key}: Completed successfully.`);
    task.log(`drive-${drive.key}: mirror-job finished`);
  }
}

function template(req: ApiRequest, ctx: SimContext): string {
  const disk = req.params.disk as string | undefined;
  const check = (vm: VmModel) => {
    checkLock(vm);
    if (Object.keys(vm.snapshots).length > 0) throw fail('unable to create template, because VM contains snapshots');
    if (isTemplate(vm.config) && !disk) throw fail("you can't convert a template to a template");
    if (isRunning(vm)) throw fail("you can't convert a VM to template if VM is running");
  };
  const vm = loadVm(ctx, req);
  check(vm);
  return startTask(ctx, req, {
    type: 'qmtemplate',
    id: vm.vmid,
    failureMessage: `rename volume failed: lvrename 'pve/vm-${vm.vmid}-disk-0' error: got timeout`,
    run: async (task) => {
      await task.lockVm(vm.vmid);
      const current = reloadVm(ctx, vm.node, vm.vmid);
      check(current);
      await task.sleep(ctx.durations.template);
      task.failpoint();
      current.config.template = '1';
      for (const d of drives(current.config)) {
        if (d.isCdrom || d.key.startsWith('unused') || (disk && d.key !== disk)) continue;
        const [sid, volname] = splitVolid(d.file);
        if (!sid || !volname || !/vm-\d+-disk-\d+/.test(volname)) continue;
        const renamed = volname.replace(/vm-(\d+)-disk-(\d+)/, 'base-$1-disk-$2');
        const storage = ctx.model.storage(sid);
        if (storage?.type === 'lvmthin') {
          task.log(`  Renamed "${volname}" to "${renamed}" in volume group "pve"`);
          task.log(`  Logical volume pve/${renamed} changed.`);
        }
        current.config[d.key] = printPropertyString({ ...d.props, file: `${sid}:${renamed}` }, 'file');
      }
      ctx.model.touch();
    },
  });
}

export const qemuCloneRoutes: Route[] = [
  {
    method: 'POST',
    path: '/nodes/{node}/qemu/{vmid}/clone',
    name: 'clone_vm',
    proxyToNode: true,
    params: {
      additionalProperties: false,
      properties: {
        node: std.node,
        vmid: std.vmid,
        newid: std.vmid,
        name: optStr({ format: 'dns-name' }),
        description: optStr(),
        pool: optStr({ format: 'pve-poolid' }),
        snapname: opt(std.snapname),
        storage: optStr({ format: 'pve-storage-id' }),
        format: optEnum(['raw', 'qcow2', 'vmdk']),
        full: optBool(),
        target: optStr({ format: 'pve-node' }),
        bwlimit: optInt({ minimum: 0 }),
      },
    },
    permissions: {
      check: [
        'and',
        ['perm', '/vms/{vmid}', ['VM.Clone']],
        [
          'or',
          ['perm', '/vms/{newid}', ['VM.Allocate']],
          ['perm', '/pool/{pool}', ['VM.Allocate'], { requireParam: 'pool' }],
        ],
      ],
    },
    handler: clone,
  },
  {
    method: 'POST',
    path: '/nodes/{node}/qemu/{vmid}/template',
    name: 'template',
    proxyToNode: true,
    params: {
      additionalProperties: false,
      properties: { node: std.node, vmid: std.vmid, disk: optEnum(diskKeys) },
    },
    permissions: { check: ['perm', '/vms/{vmid}', ['VM.Allocate']] },
    handler: template,
  },
];
