/**
 * VM configuration: GET config (pending values applied unless `current=1`), GET pending, and the
 * update calls — POST is asynchronous (a qmconfig task, returns the UPID), PUT synchronous (null).
 * On a running VM, what cannot be hot-plugged waits in `pending` until the next stop/start
 * (BEHAVIOUR.md, Config; QemuServer.pm vmconfig_hotplug_pending).
 */
import { requirePrivs } from '../auth/permissions.js';
import { fail, paramError } from '../http/errors.js';
import type { ApiRequest } from '../http/router.js';
import type { VmModel } from '../model/types.js';
import {
  configDigest,
  configWithPending,
  DRIVE_KEY_RE,
  hotplugFeatures,
  memoryMiB,
  parseNet,
  printNet,
  randomMac,
  renderConfig,
} from '../model/vm.js';
import { optBool, optInt, optStr, std } from '../params/builders.js';
import { splitList } from '../params/formats.js';
import { lookupParam } from '../params/validate.js';
import { vmConfigOptions } from '../params/vm-options.js';
import type { ParamSpec } from '../params/types.js';
import { randomUUID } from 'node:crypto';
import { checkLock, loadVm, reloadVm, rootOnly, startTask } from './common.js';
import type { Route, SimContext } from './context.js';
import { resolveDriveValue } from './disks.js';
import { applyPending, deleteOption } from './vm-runtime.js';

const CPU_OPTIONS = new Set(['cores', 'cpu', 'runningcpu', 'cpulimit', 'cpuunits', 'numa', 'smp', 'sockets', 'vcpus']);
const MEMORY_OPTIONS = new Set(['memory', 'balloon', 'shares', 'allow-ksm']);
const HWTYPE_OPTIONS = new Set([
  'acpi',
  'hotplug',
  'kvm',
  'machine',
  'runningmachine',
  'scsihw',
  'smbios1',
  'tablet',
  'vga',
  'watchdog',
  'audio0',
  'rng0',
]);
const GENERAL_OPTIONS = new Set([
  'agent',
  'autostart',
  'bios',
  'description',
  'keyboard',
  'localtime',
  'migrate_downtime',
  'migrate_speed',
  'name',
  'onboot',
  'ostype',
  'protection',
  'reboot',
  'startdate',
  'startup',
  'tdf',
  'template',
]);
const DISK_OPTIONS = new Set(['boot', 'bootdisk', 'vmstatestorage']);
const CLOUDINIT_OPTIONS = new Set([
  'cicustom',
  'cipassword',
  'citype',
  'ciuser',
  'ciupgrade',
  'nameserver',
  'searchdomain',
  'sshkeys',
]);

/** The privilege each option needs (check_vm_modify_config_perm, Qemu.pm:995-1042). */
export function checkConfigPermissions(req: ApiRequest, keys: readonly string[]): void {
  const identity = req.identity;
  if (!identity || identity.authid === 'root@pam') return;
  const path = `/vms/${req.params.vmid}`;
  for (const opt of keys) {
    if (
      DRIVE_KEY_RE.test(opt) ||
      opt === 'cdrom' ||
      /^(unused|serial|usb|hostpci|virtiofs)\d+$/.test(opt) ||
      opt === 'tags'
    ) {
      if (DRIVE_KEY_RE.test(opt) && !opt.startsWith('unused')) requirePrivs(identity, path, ['VM.Config.Disk']);
      continue;
    }
    if (CPU_OPTIONS.has(opt) || /^numa\d+$/.test(opt)) requirePrivs(identity, path, ['VM.Config.CPU']);
    else if (MEMORY_OPTIONS.has(opt)) requirePrivs(identity, path, ['VM.Config.Memory']);
    else if (HWTYPE_OPTIONS.has(opt)) requirePrivs(identity, path, ['VM.Config.HWType']);
    else if (GENERAL_OPTIONS.has(opt)) requirePrivs(identity, path, ['VM.Config.Options']);
    else if (opt === 'freeze') requirePrivs(identity, path, ['VM.PowerMgmt']);
    else if (DISK_OPTIONS.has(opt)) requirePrivs(identity, path, ['VM.Config.Disk']);
    else if (/^net\d+$/.test(opt)) requirePrivs(identity, path, ['VM.Config.Network']);
    else if (CLOUDINIT_OPTIONS.has(opt) || /^ipconfig\d+$/.test(opt))
      requirePrivs(identity, path, ['VM.Config.Cloudinit', 'VM.Config.Network'], true);
    else if (opt === 'vmstate') requirePrivs(identity, path, ['VM.Config.Disk', 'VM.PowerMgmt']);
    else throw fail(`only root can set '${opt}' config`);
  }
}

/** Options applied at once even on a running VM ($fast_plug_option plus the cloud-init ones). */
const FAST_PLUG = new Set([
  'description',
  'hookscript',
  'lock',
  'migrate_downtime',
  'migrate_speed',
  'name',
  'onboot',
  'protection',
  'shares',
  'startup',
  'tags',
  'vmstatestorage',
  ...CLOUDINIT_OPTIONS,
]);

/** Whether a change of `opt` takes effect on a running VM (vmconfig_hotplug_pending). */
function hotpluggable(vm: VmModel, opt: string): boolean {
  const features = hotplugFeatures(vm.config);
  if (FAST_PLUG.has(opt) || /^ipconfig\d+$/.test(opt) || /^unused\d+$/.test(opt)) return true;
  if (/^net\d+$/.test(opt)) return features.has('network');
  if (/^(scsi|virtio)\d+$/.test(opt)) return features.has('disk');
  if (/^usb\d+$/.test(opt) || opt === 'tablet') return features.has('usb');
  if (opt === 'memory') return features.has('memory');
  if (opt === 'vcpus') return features.has('cpu');
  if (opt === 'cpuunits' || opt === 'cpulimit' || opt === 'balloon') return true;
  return false;
}

/** `sshkeys` arrives URI-encoded; each line must be an OpenSSH public key (validate_ssh_public_keys). */
function validateSshKeys(encoded: string): void {
  let keys: string;
  try {
    keys = decodeURIComponent(encoded);
  } catch {
    throw fail('SSH public key validation error');
  }
  for (const line of keys.split('\n')) {
    const l = line.trim();
    if (!l || l.startsWith('#')) continue;
    if (
      !/^(?:\S+\s+)?(ssh-(?:rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp\d+|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)\s+[A-Za-z0-9+/]+={0,3}(\s.*)?$/.test(
        l,
      )
    ) {
      throw fail('SSH public key validation error');
    }
  }
}

const CONTROL_KEYS = new Set(['node', 'vmid', 'delete', 'revert', 'force', 'digest', 'skiplock', 'background_delay']);

interface PreparedUpdate {
  set: Record<string, string>;
  deletes: string[];
  revert: string[];
  force: boolean;
}

/** The synchronous part of update_vm_api: parameter checks that answer 400/500 before any task. */
function prepareUpdate(req: ApiRequest, ctx: SimContext): PreparedUpdate {
  const p = req.params;
  rootOnly(req, 'skiplock');
  const set: Record<string, string> = {};
  for (const [k, v] of Object.entries(p)) {
    if (CONTROL_KEYS.has(k) || v === undefined) continue;
    set[k] = typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
  }
  if (set.sshkeys !== undefined) validateSshKeys(set.sshkeys);
  const deleteStr = p.delete as string | undefined;
  const revertStr = p.revert as string | undefined;
  if (!deleteStr && !revertStr && Object.keys(set).length === 0) throw fail('no options specified');
  if (set.cdrom !== undefined) {
    set.ide2 = set.cdrom.includes('media=') ? set.cdrom : `${set.cdrom},media=cdrom`;
    delete set.cdrom;
  }
  const optionExists = (opt: string) => !!lookupParam({ properties: vmConfigOptions }, opt);
  const revert: string[] = [];
  for (const opt of splitList(revertStr ?? '')) {
    if (!optionExists(opt)) throw paramError({ revert: `unknown option '${opt}'` });
    if (set[opt] !== undefined)
      throw paramError({ delete: `you can't use '-${opt}' and -revert ${opt}' at the same time` });
    revert.push(opt);
  }
  const deletes: string[] = [];
  for (let opt of splitList(deleteStr ?? '')) {
    if (opt === 'cdrom') opt = 'ide2';
    if (set[opt] !== undefined)
      throw paramError({ delete: `you can't use '-${opt}' and -delete ${opt}' at the same time` });
    if (revert.includes(opt))
      throw paramError({ revert: `you can't use '-delete ${opt}' and -revert ${opt}' at the same time` });
    if (!optionExists(opt)) throw paramError({ delete: `unknown option '${opt}'` });
    deletes.push(opt);
  }
  for (const [k, v] of Object.entries(set)) {
    if (/^net\d+$/.test(k)) {
      const net = parseNet(v);
      net.macaddr ??= randomMac(ctx.random);
      set[k] = printNet(net);
    } else if (k === 'vmgenid' && v === '1') {
      set[k] = randomUUID();
    }
  }
  checkConfigPermissions(req, deletes);
  checkConfigPermissions(req, Object.keys(set));
  checkVm(req, ctx, set);
  return { set, deletes, revert, force: p.force === true };
}

/** load_and_check_config: digest, lock, balloon against memory. */
function checkVm(req: ApiRequest, ctx: SimContext, set: Record<string, string>): VmModel {
  const vm = loadVm(ctx, req);
  const digest = req.params.digest as string | undefined;
  if (digest && digest !== configDigest(vm)) throw fail('checksum mismatch (file change by other user?)');
  if (!req.params.skiplock) checkLock(vm);
  if (set.memory !== undefined || set.balloon !== undefined) {
    const maxmem = memoryMiB({ memory: set.memory ?? vm.pending.memory ?? vm.config.memory ?? '512' });
    const balloon = Number(set.balloon ?? vm.pending.balloon ?? vm.config.balloon ?? 0);
    if (balloon && balloon > maxmem) throw fail('balloon value too large (must be smaller than assigned memory)');
  }
  return vm;
}

/** The update itself: write to pending, then apply what the VM's state allows. Returns task log lines. */
function applyUpdate(
  req: ApiRequest,
  ctx: SimContext,
  u: PreparedUpdate,
  log: (line: string) => void,
  warn: (line: string) => void,
): void {
  const vm = checkVm(req, ctx, u.set);
  const running = vm.runtime.status === 'running';
  const shown = Object.entries(u.set).map(([k, v]) => `-${k} ${k === 'cipassword' ? '<hidden>' : v}`);
  if (u.deletes.length) shown.unshift(`-delete ${u.deletes.join(',')}`);
  log(`update VM ${vm.vmid}: ${shown.join(' ')}`);
  for (const opt of u.revert) {
    delete vm.pending[opt];
    delete vm.pendingDelete[opt];
  }
  for (const opt of u.deletes) {
    if (vm.config[opt] === undefined && vm.pending[opt] === undefined) {
      warn(`cannot delete '${opt}' - not set in current configuration!`);
      continue;
    }
    delete vm.pending[opt];
    if (vm.config[opt] === undefined) continue;
    if (!running || hotpluggable(vm, opt)) deleteOption(vm, opt);
    else vm.pendingDelete[opt] = u.force ? 2 : 1;
  }
  for (const [opt, raw] of Object.entries(u.set)) {
    let value = raw;
    if (DRIVE_KEY_RE.test(opt)) {
      const res = resolveDriveValue(ctx, vm, opt, raw, req.identity);
      value = res.value;
      res.log.forEach(log);
    }
    delete vm.pendingDelete[opt];
    if (!running || hotpluggable(vm, opt)) {
      vm.config[opt] = value;
      delete vm.pending[opt];
    } else {
      vm.pending[opt] = value;
    }
  }
  // A stopped VM has nothing to wait for: everything pending applies now.
  if (!running) applyPending(vm);
  ctx.model.touch();
}

function updateSync(req: ApiRequest, ctx: SimContext): null {
  const u = prepareUpdate(req, ctx);
  applyUpdate(
    req,
    ctx,
    u,
    () => {},
    () => {},
  );
  return null;
}

function updateAsync(req: ApiRequest, ctx: SimContext): string {
  const u = prepareUpdate(req, ctx);
  const node = req.params.node as string;
  const vmid = req.params.vmid as number;
  return startTask(ctx, req, {
    type: 'qmconfig',
    id: vmid,
    failureMessage: `VM ${vmid} qmp command 'set_password' failed - unable to connect to VM ${vmid} qmp socket`,
    run: async (task) => {
      await task.lockVm(vmid);
      reloadVm(ctx, node, vmid);
      await task.sleep(ctx.durations.config);
      task.failpoint();
      applyUpdate(req, ctx, u, task.log, task.warn);
    },
  });
}

function getConfig(req: ApiRequest, ctx: SimContext) {
  const vm = loadVm(ctx, req);
  const snapname = req.params.snapshot as string | undefined;
  if (snapname) {
    const snap = vm.snapshots[snapname];
    if (!snap) throw fail(`snapshot '${snapname}' does not exist`);
    return { ...renderConfig(snap.config), digest: configDigest(vm) };
  }
  const conf = req.params.current ? vm.config : configWithPending(vm);
  return { ...renderConfig(conf), digest: configDigest(vm) };
}

function getPending(req: ApiRequest, ctx: SimContext) {
  const vm = loadVm(ctx, req);
  const keys = new Set([...Object.keys(vm.config), ...Object.keys(vm.pending), ...Object.keys(vm.pendingDelete)]);
  return [...keys].sort().map((key) => {
    const item: Record<string, unknown> = { key };
    const hide = (v: string) => (key === 'cipassword' ? '**********' : v);
    if (vm.config[key] !== undefined) item.value = hide(vm.config[key]);
    if (vm.pending[key] !== undefined) item.pending = hide(vm.pending[key]);
    if (vm.pendingDelete[key] !== undefined) item.delete = vm.pendingDelete[key];
    return item;
  });
}

const CONFIG_PRIVS = [
  'VM.Config.Disk',
  'VM.Config.CDROM',
  'VM.Config.CPU',
  'VM.Config.Memory',
  'VM.Config.Network',
  'VM.Config.HWType',
  'VM.Config.Options',
  'VM.Config.Cloudinit',
];

const updateParams = (async: boolean): ParamSpec => ({
  additionalProperties: false,
  properties: {
    ...vmConfigOptions,
    node: std.node,
    vmid: std.vmid,
    delete: optStr({ format: 'pve-configid-list' }),
    revert: optStr({ format: 'pve-configid-list' }),
    force: optBool(),
    digest: std.digest,
    skiplock: std.skiplock,
    ...(async
      ? {
          background_delay: optInt({ minimum: 1, maximum: 30 }),
          'import-working-storage': optStr({ format: 'pve-storage-id' }),
        }
      : {}),
  },
});

export const qemuConfigRoutes: Route[] = [
  {
    method: 'GET',
    path: '/nodes/{node}/qemu/{vmid}/config',
    name: 'vm_config',
    proxyToNode: true,
    params: {
      additionalProperties: false,
      properties: {
        node: std.node,
        vmid: std.vmid,
        current: optBool({ default: 0 }),
        snapshot: optStr({ format: 'pve-configid', maxLength: 40 }),
      },
    },
    permissions: { check: ['perm', '/vms/{vmid}', ['VM.Audit']] },
    handler: getConfig,
  },
  {
    method: 'POST',
    path: '/nodes/{node}/qemu/{vmid}/config',
    name: 'update_vm_async',
    proxyToNode: true,
    params: updateParams(true),
    permissions: { check: ['perm', '/vms/{vmid}', CONFIG_PRIVS, { any: true }] },
    handler: updateAsync,
  },
  {
    method: 'PUT',
    path: '/nodes/{node}/qemu/{vmid}/config',
    name: 'update_vm',
    proxyToNode: true,
    params: updateParams(false),
    permissions: { check: ['perm', '/vms/{vmid}', CONFIG_PRIVS, { any: true }] },
    handler: updateSync,
  },
  {
    method: 'GET',
    path: '/nodes/{node}/qemu/{vmid}/pending',
    name: 'vm_pending',
    proxyToNode: true,
    params: { additionalProperties: false, properties: { node: std.node, vmid: std.vmid } },
    permissions: { check: ['perm', '/vms/{vmid}', ['VM.Audit']] },
    handler: getPending,
  },
];
