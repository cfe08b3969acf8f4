import type { FieldError, ProxmoxTemplateList, TemplateSourceInput } from '@uni-manager/contracts';
import { ProxmoxError } from '../../integrations/proxmox/errors.js';
import type { ProxmoxClient } from '../../integrations/proxmox/client.js';
import type { PveClusterResource, PveClusterVm, PveConfig } from '../../integrations/proxmox/types.js';
import type { ServerRow } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';
import type { ServersService } from '../servers/servers.service.js';

const GiB = 1024 ** 3;
const UNIT: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: GiB, T: 1024 ** 4 };
const DISK_KEY = /^(scsi|virtio|sata|ide)\d+$/;

/** Bytes of a VM's boot disk, from its `size=` option; undefined when the config does not say. */
export function bootDiskBytes(config: PveConfig): number | undefined {
  const order = /(?:^|,)order=([^,]+)/.exec(String(config.boot ?? ''))?.[1]?.split(';') ?? [];
  const others = Object.keys(config)
    .filter((k) => DISK_KEY.test(k))
    .sort();
  for (const key of [...order, ...others]) {
    const value = config[key];
    if (!DISK_KEY.test(key) || typeof value !== 'string') continue;
    if (/(?:^|,)media=cdrom/.test(value) || /cloudinit/.test(value)) continue;
    const m = /(?:^|,)size=(\d+(?:\.\d+)?)([KMGT]?)(?:,|$)/.exec(value);
    if (m) return Math.round(Number(m[1]) * UNIT[m[2]!]!);
  }
  return undefined;
}

/** A cloud-init drive is what makes a template take users, keys and addresses at first boot. */
export function hasCloudInitDrive(config: PveConfig): boolean {
  return Object.entries(config).some(([k, v]) => DISK_KEY.test(k) && typeof v === 'string' && /cloudinit/.test(v));
}

export const isTemplateVm = (r: PveClusterResource): r is PveClusterVm =>
  r.type === 'qemu' && (r.template === 1 || r.template === true || String(r.template) === '1');

/**
 * How much to check of each source. `full`: a new or changed source, which
 * must exist and be a template now. `disk`: an unchanged source, checked only
 * for a default disk below the template's (an unreachable server then is not
 * the admin's fault, and must not stop them from, say, disabling the template).
 */
export type CheckMode = 'full' | 'disk' | 'none';

interface Connection {
  server: ServerRow;
  client: ProxmoxClient;
  storages?: Promise<StorageResource[]>;
}

/** A `storage` entry of /cluster/resources: one per storage and node. */
interface StorageResource {
  node: string;
  storage: string;
  content: string[];
  shared: boolean;
}

function storagesOf(resources: PveClusterResource[]): StorageResource[] {
  return resources
    .filter((r) => r.type === 'storage')
    .map((r) => {
      const e = r as Record<string, unknown>;
      return {
        node: String(e.node ?? ''),
        storage: String(e.storage ?? ''),
        content: String(e.content ?? '').split(','),
        shared: Number(e.shared) === 1,
      };
    });
}
type Connected = { ok: true; conn: Connection } | { ok: false; notFound: boolean; message: string };

function unreachable(server: ServerRow, e: ProxmoxError): string {
  return e.kind === 'PERMISSION'
    ? `The token of server ${server.name} is not allowed to read this: ${e.message}`
    : `Server ${server.name} cannot be reached: ${e.message}`;
}

/**
 * Asks Proxmox, for every source at once, whether it exists, is a template,
 * and (for full clones) whether its target storage exists on the node.
 * Returns the problems as field errors; an empty list means all is well.
 */
export async function checkSources(
  servers: ServersService,
  sources: TemplateSourceInput[],
  modes: CheckMode[],
  defaultDiskGib: number,
): Promise<FieldError[]> {
  const checked = sources.map((s, i) => ({ s, i, mode: modes[i] ?? 'full' })).filter((x) => x.mode !== 'none');
  const ids = [...new Set(checked.map((x) => x.s.serverId))];
  const connections = new Map<string, Connected>();
  await Promise.all(
    ids.map(async (id) => {
      try {
        const { server, client } = await servers.clientFor(id);
        connections.set(id, { ok: true, conn: { server, client } });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        connections.set(id, { ok: false, notFound: e.code === 'NOT_FOUND', message: e.message });
      }
    }),
  );

  async function checkOne(s: TemplateSourceInput, i: number, mode: CheckMode): Promise<FieldError[]> {
    const at = (field: string) => `sources.${i}.${field}`;
    const connected = connections.get(s.serverId)!;
    if (!connected.ok) {
      if (mode !== 'full') return [];
      return [{ path: at('serverId'), message: connected.notFound ? 'No server with this id' : connected.message }];
    }
    const { server, client } = connected.conn;
    let config: PveConfig;
    try {
      config = await client.vmConfig(s.node, s.vmid);
    } catch (e) {
      if (!(e instanceof ProxmoxError)) throw e;
      if (mode !== 'full') return [];
      if (e.kind === 'NOT_FOUND') return [{ path: at('vmid'), message: `No VM ${s.vmid} on node ${s.node}` }];
      // What Proxmox answers for a node name that is not in the cluster.
      if (/hostname lookup '.*' failed/.test(e.message))
        return [{ path: at('node'), message: `No node ${s.node} on server ${server.name}` }];
      return [{ path: at('vmid'), message: unreachable(server, e) }];
    }
    const found: FieldError[] = [];
    if (mode === 'full' && Number(config.template) !== 1)
      found.push({ path: at('vmid'), message: `VM ${s.vmid} on ${s.node} is not a template` });
    const disk = bootDiskBytes(config);
    if (disk !== undefined && disk > defaultDiskGib * GiB)
      found.push({
        path: 'defaults.diskGib',
        message: `The disk of VM ${s.vmid} on ${s.node} is ${Math.ceil(disk / GiB)} GiB: the default disk cannot be smaller, disks only grow`,
      });
    if (mode === 'full' && s.cloneMode === 'full' && s.storage) {
      connected.conn.storages ??= client.clusterResources('storage').then(storagesOf);
      try {
        const storage = (await connected.conn.storages).find((r) => r.node === s.node && r.storage === s.storage);
        if (!storage) found.push({ path: at('storage'), message: `No storage ${s.storage} on node ${s.node}` });
        else if (!storage.content.includes('images'))
          found.push({ path: at('storage'), message: `Storage ${s.storage} on ${s.node} cannot hold VM disks` });
      } catch (e) {
        if (!(e instanceof ProxmoxError)) throw e;
        found.push({ path: at('storage'), message: unreachable(server, e) });
      }
    }
    return found;
  }

  try {
    const results = await Promise.all(checked.map((x) => checkOne(x.s, x.i, x.mode)));
    const fields: FieldError[] = [];
    for (const f of results.flat()) if (!fields.some((g) => g.path === f.path)) fields.push(f);
    return fields;
  } finally {
    await Promise.all([...connections.values()].map((c) => (c.ok ? c.conn.client.close() : undefined)));
  }
}

/** The template VMs of a server and the storages that can take a full clone, for the form's picker. */
export async function listProxmoxTemplates(servers: ServersService, serverId: string): Promise<ProxmoxTemplateList> {
  const { server, client } = await servers.clientFor(serverId);
  try {
    const [resources, storages] = await Promise.all([
      client.clusterResources('vm'),
      client.clusterResources('storage'),
    ]);
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
    return {
      items: resources
        .filter(isTemplateVm)
        .map((r) => {
          const maxdisk = num(r.maxdisk);
          const maxmem = num(r.maxmem);
          const maxcpu = num(r.maxcpu);
          return {
            node: r.node,
            vmid: r.vmid,
            name: r.name ?? `VM ${r.vmid}`,
            ...(maxdisk !== undefined ? { maxdisk } : {}),
            ...(maxmem !== undefined ? { maxmem } : {}),
            ...(maxcpu !== undefined ? { maxcpu } : {}),
          };
        })
        .sort((a, b) => a.node.localeCompare(b.node) || a.vmid - b.vmid),
      storages: storagesOf(storages)
        .filter((r) => r.content.includes('images'))
        .map(({ node, storage, shared }) => ({ node, storage, shared }))
        .sort((a, b) => a.node.localeCompare(b.node) || a.storage.localeCompare(b.storage)),
    };
  } catch (e) {
    if (!(e instanceof ProxmoxError)) throw e;
    throw new AppError('PROXMOX_UNAVAILABLE', unreachable(server, e), { kind: e.kind });
  } finally {
    await client.close();
  }
}
