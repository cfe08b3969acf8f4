/**
 * Disks named in create/config requests. `local-lvm:32` asks for a new 32 GiB volume
 * (qemu-server's NEW_DISK_RE), `local-lvm:cloudinit` for a cloud-init drive; existing volumes
 * must exist on the node's storage.
 */
import { fail } from '../http/errors.js';
import { diskVolname, splitVolid } from '../model/cluster.js';
import { formatSize, GiB, MiB } from '../model/sizes.js';
import type { VmModel } from '../model/types.js';
import { parseDrive } from '../model/vm.js';
import { printPropertyString } from '../params/property-string.js';
import { requirePrivs } from '../auth/permissions.js';
import type { Identity } from '../auth/identities.js';
import type { SimContext } from './context.js';

const NEW_DISK_RE = /^(?:([^/:\s]+):)?(\d+(?:\.\d+)?)$/;

export interface DiskRequestResult {
  value: string;
  /** Log lines a real task prints while allocating. */
  log: string[];
}

/** Turns a requested drive value into the stored one, allocating volumes as needed. */
export function resolveDriveValue(
  ctx: SimContext,
  vm: VmModel,
  key: string,
  value: string,
  identity: Identity | undefined,
  defaultStorage?: string,
): DiskRequestResult {
  const drive = parseDrive(key, value);
  if (!drive) return { value, log: [] };
  const log: string[] = [];
  const file = drive.file;
  const newDisk = NEW_DISK_RE.exec(file);
  const cloudinit = /^(?:([^/:\s]+):)?cloudinit$/.exec(file);
  if (newDisk || cloudinit) {
    const storeid = (newDisk ? newDisk[1] : cloudinit?.[1]) ?? defaultStorage;
    if (!storeid) throw fail('no storage ID specified (and no default storage)');
    const storage = ctx.model.requireStorage(storeid, vm.node);
    if (identity) requirePrivs(identity, `/storage/${storeid}`, ['Datastore.AllocateSpace']);
    if (!storage.content.includes('images')) throw fail(`storage '${storeid}' does not support vm images`);
    if (cloudinit) {
      const name = diskVolname(storage, vm.vmid, `vm-${vm.vmid}-cloudinit`);
      drive.props.file = `${storeid}:${name}`;
      drive.props.media = 'cdrom';
      log.push(`ide2: successfully created disk '${storeid}:${name},media=cdrom'`);
    } else {
      const bytes = Math.round(Number(newDisk?.[2]) * GiB);
      const volid = ctx.model.allocDiskName(storage, vm.node, vm.vmid);
      drive.props.file = volid;
      drive.props.size = formatSize(bytes);
      if (storage.type === 'lvmthin') log.push(`  Logical volume "${splitVolid(volid)[1]}" created.`);
      else log.push(`Formatting '/mnt/pve/${storeid}/images/${splitVolid(volid)[1]}', fmt=qcow2 size=${bytes}`);
      log.push(`${key}: successfully created disk '${volid},size=${drive.props.size}'`);
    }
    return { value: printPropertyString(drive.props, 'file'), log };
  }
  if (file === 'none' || file === 'cdrom' || file.startsWith('/')) return { value, log };
  const [storeid, volname] = splitVolid(file);
  if (!storeid || !volname) throw fail(`unable to parse volume ID '${file}'`);
  const storage = ctx.model.requireStorage(storeid, vm.node);
  const exists =
    ctx.model.volumes.some((v) => v.volid === file && (storage.shared || v.node === vm.node)) ||
    ctx.model.usedVolumeNames(storage, vm.node).has(volname);
  if (!exists) throw fail(`volume '${file}' does not exist`);
  if (!drive.props.size && !drive.isCdrom) {
    const loose = ctx.model.volumes.find((v) => v.volid === file);
    if (loose) drive.props.size = formatSize(loose.size);
  }
  return { value: drive.isCdrom ? value : printPropertyString(drive.props, 'file'), log };
}

/** Size of a cloud-init drive, for storage listings. */
export const CLOUDINIT_SIZE = 4 * MiB;
