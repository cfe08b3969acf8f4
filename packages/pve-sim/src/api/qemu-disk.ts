/**
 * PUT …/resize: a `resize` task; `+10G` grows by 10 GiB, `50G` sets the size, units are powers
 * of 1024, and a smaller size fails in the task with "shrinking disks is not supported"
 * (BEHAVIOUR.md, Resize; Qemu.pm:5990-6072).
 */
import { requirePrivs } from '../auth/permissions.js';
import { fail } from '../http/errors.js';
import type { ApiRequest } from '../http/router.js';
import { splitVolid } from '../model/cluster.js';
import { formatSize, GiB } from '../model/sizes.js';
import { configDigest, parseDrive } from '../model/vm.js';
import { diskKeys, enumOf, str, std } from '../params/builders.js';
import { printPropertyString } from '../params/property-string.js';
import { checkLock, loadVm, reloadVm, rootOnly, startTask } from './common.js';
import type { Route, SimContext } from './context.js';

const UNIT: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

function resize(req: ApiRequest, ctx: SimContext): string {
  rootOnly(req, 'skiplock');
  const vm = loadVm(ctx, req);
  const disk = req.params.disk as string;
  const sizestr = req.params.size as string;
  const digest = req.params.digest as string | undefined;
  return startTask(ctx, req, {
    type: 'resize',
    id: vm.vmid,
    failureMessage: `command '/sbin/lvextend -L${sizestr} pve/vm-${vm.vmid}-disk-0' failed: exit code 5`,
    run: async (task) => {
      await task.lockVm(vm.vmid);
      const current = reloadVm(ctx, vm.node, vm.vmid);
      if (digest && digest !== configDigest(current)) throw fail('checksum mismatch (file change by other user?)');
      if (!req.params.skiplock) checkLock(current);
      const drive = parseDrive(disk, current.config[disk]);
      if (!drive) throw fail(`disk '${disk}' does not exist`);
      if (!drive.file) throw fail(`disk '${disk}' has no associated volume`);
      if (drive.isCdrom) throw fail("you can't resize a cdrom");
      const [storeid, volname] = splitVolid(drive.file);
      if (req.identity && storeid) requirePrivs(req.identity, `/storage/${storeid}`, ['Datastore.AllocateSpace']);
      const size = drive.size;
      if (size === undefined) throw fail(`Could not determine current size of volume '${drive.file}'`);
      const m = /^(\+)?(\d+(?:\.\d+)?)([KMGT])?$/.exec(sizestr);
      if (!m) throw fail('internal error');
      let newsize = Number(m[2]) * (m[3] ? (UNIT[m[3]] as number) : 1);
      if (m[1]) newsize += size;
      newsize = Math.trunc(newsize);
      if (newsize < size) throw fail('shrinking disks is not supported');
      if (newsize === size) return;
      await task.sleep(ctx.durations.resize);
      task.failpoint();
      const storage = storeid ? ctx.model.storage(storeid) : undefined;
      if (storage?.type === 'lvmthin') {
        const lv = (volname ?? '').split('/').pop();
        const ext = (n: number) => `${(n / GiB).toFixed(2)} GiB (${Math.ceil(n / (4 * 1024 * 1024))} extents)`;
        task.log(`  Size of logical volume pve/${lv} changed from ${ext(size)} to ${ext(newsize)}.`);
        task.log(`  Logical volume pve/${lv} successfully resized.`);
      } else {
        task.log(`Image resized.`);
      }
      const after = reloadVm(ctx, vm.node, vm.vmid);
      const latest = parseDrive(disk, after.config[disk]);
      if (!latest) throw fail(`disk '${disk}' does not exist`);
      after.config[disk] = printPropertyString({ ...latest.props, size: formatSize(newsize) }, 'file');
      ctx.model.touch();
    },
  });
}

export const qemuDiskRoutes: Route[] = [
  {
    method: 'PUT',
    path: '/nodes/{node}/qemu/{vmid}/resize',
    name: 'resize_vm',
    proxyToNode: true,
    params: {
      additionalProperties: false,
      properties: {
        node: std.node,
        vmid: std.vmid,
        skiplock: std.skiplock,
        disk: enumOf(diskKeys),
        size: str({ pattern: '\\+?\\d+(\\.\\d+)?[KMGT]?' }),
        digest: std.digest,
      },
    },
    permissions: { check: ['perm', '/vms/{vmid}', ['VM.Config.Disk']] },
    handler: resize,
  },
];
