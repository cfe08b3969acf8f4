/** /nodes/{node}/storage/{storage}/content: what a storage holds, and allocating a disk image. */
import { fail } from '../http/errors.js';
import type { ApiRequest } from '../http/router.js';
import { splitVolid } from '../model/cluster.js';
import { formatSize, KiB, MiB, GiB } from '../model/sizes.js';
import type { StorageModel } from '../model/types.js';
import { drives } from '../model/vm.js';
import { optEnum, opt, optStr, str, std } from '../params/builders.js';
import type { Route, SimContext } from './context.js';
import { CLOUDINIT_SIZE } from './disks.js';

interface ContentItem {
  volid: string;
  content: string;
  format: string;
  size: number;
  vmid?: number;
  ctime?: number;
  used?: number;
  parent?: string;
  notes?: string;
  protected?: number;
}

function storageFor(ctx: SimContext, req: ApiRequest): StorageModel {
  const id = req.params.storage as string;
  const node = req.params.node as string;
  const s = ctx.model.storage(id);
  if (!s) throw fail(`storage '${id}' does not exist`);
  if (s.nodes && !s.nodes.includes(node)) throw fail(`storage '${id}' is not available on node '${node}'`);
  return s;
}

function listContent(req: ApiRequest, ctx: SimContext): ContentItem[] {
  const storage = storageFor(ctx, req);
  const node = req.params.node as string;
  const filterContent = req.params.content as string | undefined;
  const filterVmid = req.params.vmid as number | undefined;
  const items = new Map<string, ContentItem>();
  const imageFormat = storage.type === 'lvmthin' ? 'raw' : 'qcow2';
  for (const vm of ctx.model.vms.values()) {
    if (!storage.shared && vm.node !== node) continue;
    for (const conf of [vm.config, vm.pending]) {
      for (const d of drives(conf)) {
        const [sid, volname] = splitVolid(d.file);
        if (sid !== storage.id || !volname || items.has(d.file)) continue;
        const owner = Number(/(?:vm|base)-(\d+)-/.exec(volname.split('/').pop() ?? '')?.[1] ?? vm.vmid);
        const item: ContentItem = {
          volid: d.file,
          content: 'images',
          format: /\.(raw|qcow2|vmdk)$/.exec(volname)?.[1] ?? imageFormat,
          size: d.isCloudinit ? CLOUDINIT_SIZE : (d.size ?? 0),
          vmid: owner,
          ctime: Math.floor((vm.runtime.startedAt ?? ctx.clock.now() - 86_400_000) / 1000),
        };
        if (volname.includes('/') && storage.type === 'lvmthin') item.parent = `${volname.split('/')[0]}@__base__`;
        if (!d.isCloudinit) item.used = Math.round(item.size * (storage.type === 'lvmthin' ? 0.3 : 0.5));
        items.set(d.file, item);
      }
    }
  }
  for (const v of ctx.model.volumes) {
    if (v.storage !== storage.id || (!storage.shared && v.node !== node)) continue;
    const item: ContentItem = { volid: v.volid, content: v.content, format: v.format, size: v.size, ctime: v.ctime };
    if (v.vmid !== undefined) item.vmid = v.vmid;
    if (v.notes) item.notes = v.notes;
    if (v.content === 'backup') item.protected = v.protected ? 1 : 0;
    items.set(v.volid, item);
  }
  return [...items.values()]
    .filter(
      (i) => (!filterContent || i.content === filterContent) && (filterVmid === undefined || i.vmid === filterVmid),
    )
    .sort((a, b) => (a.volid < b.volid ? -1 : a.volid > b.volid ? 1 : 0));
}

/** Size in KiB unless suffixed M or G (pvesm alloc). */
function allocSize(size: string): number {
  const m = /^(\d+)([MG]?)$/.exec(size) as RegExpExecArray;
  const n = Number(m[1]);
  return m[2] === 'G' ? n * GiB : m[2] === 'M' ? n * MiB : n * KiB;
}

function allocate(req: ApiRequest, ctx: SimContext): string {
  const storage = storageFor(ctx, req);
  const node = req.params.node as string;
  const vmid = req.params.vmid as number;
  let name = req.params.filename as string;
  if (!storage.content.includes('images')) throw fail(`storage '${storage.id}' does not support vm images`);
  const format = (req.params.format as string | undefined) ?? (storage.type === 'lvmthin' ? 'raw' : 'qcow2');
  if (storage.type === 'lvmthin' && format !== 'raw') throw fail(`unsupported format '${format}'`);
  if (!new RegExp(`^(vm|base)-${vmid}-\\S+$`).test(name))
    throw fail(`illegal name '${name}' - should be 'vm-${vmid}-*'`);
  if (storage.type !== 'lvmthin') {
    if (!name.endsWith(`.${format}`)) name = `${name}.${format}`;
    name = `${vmid}/${name}`;
  }
  const volid = `${storage.id}:${name}`;
  if (ctx.model.usedVolumeNames(storage, node).has(name)) throw fail(`volume '${volid}' already exists`);
  ctx.model.volumes.push({
    volid,
    storage: storage.id,
    node: storage.shared ? undefined : node,
    content: 'images',
    format,
    size: allocSize(req.params.size as string),
    vmid,
    ctime: Math.floor(ctx.clock.now() / 1000),
  });
  ctx.model.touch();
  ctx.log.info(`allocated ${volid} (${formatSize(allocSize(req.params.size as string))})`);
  return volid;
}

export const storageRoutes: Route[] = [
  {
    method: 'GET',
    path: '/nodes/{node}/storage/{storage}/content',
    name: 'index',
    proxyToNode: true,
    params: {
      additionalProperties: false,
      properties: {
        node: std.node,
        storage: std.storage,
        content: optStr({ format: 'pve-storage-content' }),
        vmid: opt(std.vmid),
      },
    },
    permissions: {
      check: ['perm', '/storage/{storage}', ['Datastore.Audit', 'Datastore.AllocateSpace'], { any: true }],
    },
    handler: listContent,
  },
  {
    method: 'POST',
    path: '/nodes/{node}/storage/{storage}/content',
    name: 'create',
    proxyToNode: true,
    params: {
      additionalProperties: false,
      properties: {
        node: std.node,
        storage: std.storage,
        filename: str(),
        size: str({ pattern: '\\d+[MG]?' }),
        format: optEnum(['raw', 'qcow2', 'subvol', 'vmdk']),
        vmid: std.vmid,
      },
    },
    permissions: { check: ['perm', '/storage/{storage}', ['Datastore.AllocateSpace']] },
    handler: allocate,
  },
];
