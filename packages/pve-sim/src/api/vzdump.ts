/**
 * POST /nodes/{node}/vzdump: backups of the node's guests. Each VM is locked with `backup` while
 * it is saved (BEHAVIOUR.md, Snapshots and backups); the archive lands on the backup storage.
 */
import { requirePrivs } from '../auth/permissions.js';
import { fail, paramError } from '../http/errors.js';
import type { ApiRequest } from '../http/router.js';
import { humanSize } from '../model/sizes.js';
import type { VmModel } from '../model/types.js';
import { dataDisks } from '../model/vm.js';
import { arr, opt, optBool, optEnum, optInt, optStr } from '../params/builders.js';
import { splitList } from '../params/formats.js';
import type { TaskContext } from '../tasks/task-manager.js';
import { authid, startTask } from './common.js';
import type { Route, SimContext } from './context.js';

const pad = (n: number) => String(n).padStart(2, '0');
function stamp(ms: number, sep: [string, string, string]): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${sep[0]}${pad(d.getUTCMonth() + 1)}${sep[0]}${pad(d.getUTCDate())}${sep[1]}${pad(d.getUTCHours())}${sep[2]}${pad(d.getUTCMinutes())}${sep[2]}${pad(d.getUTCSeconds())}`;
}

function vzdump(req: ApiRequest, ctx: SimContext): string {
  const p = req.params;
  const node = p.node as string;
  if (authid(req) !== 'root@pam') {
    for (const key of ['tmpdir', 'dumpdir', 'script', 'job-id']) {
      if (p[key] !== undefined) throw paramError({ [key]: 'Only root may set this option.' });
    }
  }
  if (p.stdout) throw paramError({ stdout: 'option is only allowed on the command line interface.' });
  const exclude = new Set(splitList((p.exclude as string | undefined) ?? '').map(Number));
  let vmids: number[];
  if (p.all) {
    vmids = ctx.model
      .vmsOn(node)
      .map((v) => v.vmid)
      .filter((id) => !exclude.has(id));
  } else {
    const requested = splitList((p.vmid as string | undefined) ?? '').map(Number);
    // Guests of other nodes are their node's business ([MGR] API2/VZDump.pm: local_vmids).
    vmids = requested.filter((id) => !ctx.model.vms.has(id) || ctx.model.vms.get(id)?.node === node);
  }
  if (vmids.length === 0 && !p.all) return 'OK';
  if (req.identity) for (const id of vmids) requirePrivs(req.identity, `/vms/${id}`, ['VM.Backup']);
  const storeid = (p.storage as string | undefined) ?? 'local';
  const storage = ctx.model.requireStorage(storeid, node);
  if (!storage.content.includes('backup')) throw fail(`storage '${storeid}' does not support backups`);
  if (req.identity) requirePrivs(req.identity, `/storage/${storeid}`, ['Datastore.AllocateSpace']);
  const mode = (p.mode as string | undefined) ?? 'snapshot';
  const compress = (p.compress as string | undefined) ?? '0';
  const ext =
    ({ '0': '', '1': '.lzo', lzo: '.lzo', gzip: '.gz', zstd: '.zst' } as Record<string, string>)[compress] ?? '';
  const cmdline = `vzdump ${p.all ? '--all 1' : vmids.join(' ')} --storage ${storeid} --mode ${mode}${compress !== '0' ? ` --compress ${compress}` : ''} --node ${node}`;

  return startTask(ctx, req, {
    type: 'vzdump',
    id: vmids.length === 1 ? vmids[0] : undefined,
    failureMessage: 'job errors',
    run: async (task) => {
      task.log(`INFO: starting new backup job: ${cmdline}`);
      let errors = 0;
      const slice = ctx.durations.vzdump / Math.max(1, vmids.length);
      for (const vmid of vmids) {
        const vm = ctx.model.vms.get(vmid);
        const started = ctx.clock.now();
        if (!vm || vm.node !== node) {
          task.log(`ERROR: Backup of VM ${vmid} failed - unable to find VM '${vmid}'`);
          errors++;
          continue;
        }
        try {
          await backupOne(ctx, vm, task, {
            storeid,
            mode,
            ext,
            slice,
            started,
            notes: p['notes-template'] as string | undefined,
            protect: p.protected === true,
          });
        } catch (err) {
          if ((err as Error).name === 'TaskInterrupted') throw err;
          task.log(`ERROR: Backup of VM ${vmid} failed - ${(err as Error).message.replace(/\n$/, '')}`);
          task.log(`INFO: Failed at ${stamp(ctx.clock.now(), ['-', ' ', ':'])}`);
          errors++;
        }
      }
      task.failpoint();
      if (errors > 0) {
        task.log('INFO: Backup job finished with errors');
        throw fail('job errors');
      }
      task.log('INFO: Backup job finished successfully');
    },
  });
}

async function backupOne(
  ctx: SimContext,
  vm: VmModel,
  task: TaskContext,
  o: { storeid: string; mode: string; ext: string; slice: number; started: number; notes?: string; protect: boolean },
): Promise<void> {
  task.log(`INFO: Starting Backup of VM ${vm.vmid} (qemu)`);
  task.log(`INFO: Backup started at ${stamp(o.started, ['-', ' ', ':'])}`);
  task.log(`INFO: status = ${vm.runtime.status}`);
  await task.lockVm(vm.vmid, { timeoutMs: 180_000 });
  if (vm.config.lock) throw fail(`VM is locked (${vm.config.lock})`);
  vm.config.lock = 'backup';
  ctx.model.touch();
  try {
    task.log(`INFO: VM Name: ${vm.config.name ?? `VM ${vm.vmid}`}`);
    let total = 0;
    for (const d of dataDisks(vm.config)) {
      task.log(`INFO: include disk '${d.key}' '${d.file}' ${d.props.size ?? '0'}`);
      total += d.size ?? 0;
    }
    task.log(`INFO: backup mode: ${o.mode}`);
    task.log('INFO: ionice priority: 7');
    const file = `vzdump-qemu-${vm.vmid}-${stamp(o.started, ['_', '-', '_'])}.vma${o.ext}`;
    task.log(`INFO: creating vzdump archive '/var/lib/vz/dump/${file}'`);
    for (let pct = 10; pct <= 100; pct += 10) {
      await task.sleep(o.slice / 10);
      const secs = Math.max(1, Math.round((ctx.clock.now() - o.started) / 1000));
      task.log(
        `INFO: ${String(pct).padStart(3)}% (${humanSize((total * pct) / 100)} of ${humanSize(total)}) in ${secs}s, read: 1.1 GiB/s, write: 180.0 MiB/s`,
      );
    }
    const size = Math.round(total * 0.18) + 4096;
    task.log(`INFO: archive file size: ${humanSize(size)}`);
    ctx.model.volumes.push({
      volid: `${o.storeid}:backup/${file}`,
      storage: o.storeid,
      node: ctx.model.storage(o.storeid)?.shared ? undefined : vm.node,
      content: 'backup',
      format: `vma${o.ext ? `.${o.ext.slice(1)}` : ''}`,
      size,
      vmid: vm.vmid,
      ctime: Math.floor(o.started / 1000),
      ...(o.notes
        ? {
            notes: o.notes
              .replace(/\{\{guestname\}\}/g, vm.config.name ?? '')
              .replace(/\{\{vmid\}\}/g, String(vm.vmid)),
          }
        : {}),
      ...(o.protect ? { protected: true } : {}),
    });
    const elapsed = Math.round((ctx.clock.now() - o.started) / 1000);
    task.log(
      `INFO: Finished Backup of VM ${vm.vmid} (${[elapsed / 3600, (elapsed % 3600) / 60, elapsed % 60].map((n) => pad(Math.floor(n))).join(':')})`,
    );
    task.log(`INFO: Backup finished at ${stamp(ctx.clock.now(), ['-', ' ', ':'])}`);
  } finally {
    if (vm.config.lock === 'backup') delete vm.config.lock;
    ctx.model.touch();
  }
}

export const vzdumpRoutes: Route[] = [
  {
    method: 'POST',
    path: '/nodes/{node}/vzdump',
    name: 'vzdump',
    proxyToNode: true,
    params: {
      additionalProperties: false,
      properties: {
        node: optStr({ format: 'pve-node' }),
        vmid: optStr({ format: 'pve-vmid-list' }),
        all: optBool({ default: 0 }),
        exclude: optStr({ format: 'pve-vmid-list' }),
        'exclude-path': opt(arr()),
        bwlimit: optInt({ minimum: 0, default: 0 }),
        compress: optEnum(['0', '1', 'gzip', 'lzo', 'zstd'], { default: '0' }),
        dumpdir: optStr(),
        fleecing: optStr({ format: 'backup-fleecing' }),
        ionice: optInt({ minimum: 0, maximum: 8, default: 7 }),
        'job-id': optStr({ pattern: '\\S+', maxLength: 50 }),
        lockwait: optInt({ minimum: 0, default: 180 }),
        mailnotification: optEnum(['always', 'failure'], { default: 'always' }),
        mailto: optStr({ format: 'email-or-username-list' }),
        maxfiles: optInt({ minimum: 1 }),
        mode: optEnum(['snapshot', 'suspend', 'stop'], { default: 'snapshot' }),
        'notes-template': optStr({ maxLength: 1024 }),
        'notification-mode': optEnum(['auto', 'legacy-sendmail', 'notification-system'], { default: 'auto' }),
        'pbs-change-detection-mode': optEnum(['legacy', 'data', 'metadata']),
        performance: optStr({ format: 'backup-performance' }),
        pigz: optInt({ default: 0 }),
        pool: optStr(),
        protected: optBool(),
        'prune-backups': optStr({ format: 'prune-backups' }),
        quiet: optBool({ default: 0 }),
        remove: optBool({ default: 1 }),
        script: optStr(),
        stdexcludes: optBool({ default: 1 }),
        stdout: optBool(),
        stop: optBool({ default: 0 }),
        stopwait: optInt({ minimum: 0, default: 10 }),
        storage: optStr({ format: 'pve-storage-id' }),
        tmpdir: optStr(),
        zstd: optInt({ default: 1 }),
      },
    },
    permissions: { user: 'all' },
    handler: vzdump,
  },
];
