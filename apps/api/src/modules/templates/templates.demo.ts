import type { CreateTemplateBody, OsIcon } from '@uni-manager/contracts';
import type { RequestMeta } from '../../lib/context.js';
import { AppError } from '../../lib/errors.js';
import { ProxmoxError } from '../../integrations/proxmox/errors.js';
import type { ServersService } from '../servers/servers.service.js';
import { hasCloudInitDrive, isTemplateVm } from './templates.sources.js';
import type { TemplatesService } from './templates.service.js';

const GiB = 1024 ** 3;

interface DemoTemplate {
  name: string;
  osLabel: string;
  osIcon: OsIcon;
  description: string;
  /** The name of the Proxmox template VM to clone, on every node that has one. */
  source: string;
  priceRunningPerHour: number;
  priceStoppedPerHour: number;
}

/** Prices in minor units per hour: 500 = 0.05 credit. */
const DEMO: DemoTemplate[] = [
  {
    name: 'Debian 12',
    osLabel: 'Debian 12 (bookworm)',
    osIcon: 'debian',
    description: 'A minimal Debian server, set up at first boot with your user and SSH key.',
    source: 'debian-12-cloud',
    priceRunningPerHour: 500,
    priceStoppedPerHour: 100,
  },
  {
    name: 'Ubuntu 24.04 LTS',
    osLabel: 'Ubuntu 24.04 LTS',
    osIcon: 'ubuntu',
    description: 'Ubuntu Server with long-term support, set up at first boot with your user and SSH key.',
    source: 'ubuntu-24.04-cloud',
    priceRunningPerHour: 500,
    priceStoppedPerHour: 100,
  },
  {
    name: 'AlmaLinux 9',
    osLabel: 'AlmaLinux 9',
    osIcon: 'alma',
    description: 'An enterprise Linux compatible with RHEL 9, for software that expects it.',
    source: 'alma-9',
    priceRunningPerHour: 800,
    priceStoppedPerHour: 150,
  },
];

export interface DemoResult {
  created: string[];
  /** Why nothing (or not everything) was added. */
  notes: string[];
}

/**
 * Adds demonstration templates cloned from the named server's own template
 * VMs, found by name, so that a fresh install has something to create VMs
 * from. Does nothing once any template exists: running it at every start
 * must not undo what an admin changed or deleted.
 */
export async function addDemoTemplates(
  deps: { templates: TemplatesService; servers: ServersService },
  serverName: string | undefined,
  meta: RequestMeta,
): Promise<DemoResult> {
  const existing = await deps.templates.list();
  if (existing.length)
    return { created: [], notes: [`${existing.length} template(s) exist already; no demo template added`] };
  const all = await deps.servers.list();
  const server = serverName ? all.find((s) => s.name === serverName) : all.length === 1 ? all[0] : undefined;
  if (!server)
    throw new Error(
      serverName
        ? `no server named "${serverName}"`
        : `name the server with --server-name (${all.length ? all.map((s) => s.name).join(', ') : 'none registered yet'})`,
    );

  const { client } = await deps.servers.clientFor(server.id);
  const notes: string[] = [];
  const bodies: CreateTemplateBody[] = [];
  try {
    const vms = (await client.clusterResources('vm')).filter(isTemplateVm);
    for (const demo of DEMO) {
      const perNode = new Map<string, (typeof vms)[number]>();
      for (const vm of vms.filter((v) => v.name === demo.source).sort((a, b) => a.vmid - b.vmid))
        if (!perNode.has(vm.node)) perNode.set(vm.node, vm);
      const found = [...perNode.values()];
      if (!found.length) {
        notes.push(`no template VM named ${demo.source} on ${server.name}; ${demo.name} skipped`);
        continue;
      }
      const config = await client.vmConfig(found[0]!.node, found[0]!.vmid);
      // The default disk is also the smallest: it must hold the largest of the template disks.
      const diskGib = Math.max(1, ...found.map((v) => Math.ceil((v.maxdisk ?? 0) / GiB)));
      bodies.push({
        name: demo.name,
        description: demo.description,
        osLabel: demo.osLabel,
        osIcon: demo.osIcon,
        defaults: { cores: 2, memoryMib: 2048, diskGib },
        bounds: {
          minCores: 1,
          maxCores: 8,
          minMemoryMib: 512,
          maxMemoryMib: 16384,
          maxDiskGib: Math.max(200, diskGib),
        },
        cloudInit: hasCloudInitDrive(config),
        priceRunningPerHour: demo.priceRunningPerHour,
        priceStoppedPerHour: demo.priceStoppedPerHour,
        // Each vCPU, GiB of memory and GiB of disk above the default: 0.02, 0.01 and 0.0005 credits an hour.
        unitPrices: { perCorePerHour: 200, perGibMemoryPerHour: 100, perGibDiskPerHour: 5 },
        visibility: 'public',
        sources: found.map((v) => ({
          serverId: server.id,
          node: v.node,
          vmid: v.vmid,
          storage: null,
          cloneMode: 'linked' as const,
        })),
      });
    }
  } catch (e) {
    if (e instanceof ProxmoxError)
      throw new Error(`server ${server.name} cannot be reached: ${e.message}`, { cause: e });
    throw e;
  } finally {
    await client.close();
  }

  const created: string[] = [];
  for (const body of bodies) {
    try {
      created.push((await deps.templates.create(null, body, meta)).name);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      notes.push(`${body.name} skipped: ${e.message}`);
    }
  }
  return { created, notes };
}
