/** /version and /cluster/*: the cluster-wide views a panel polls. */
import { hasPrivs } from '../auth/permissions.js';
import { paramError, fail } from '../http/errors.js';
import type { ApiRequest } from '../http/router.js';
import { optEnum, std, opt } from '../params/builders.js';
import { VERSION } from '../options.js';
import { isTemplate, cpuCount, memoryMiB, bootDisk } from '../model/vm.js';
import type { Route, SimContext } from './context.js';
import { nodeOnline, nodeSummary, storageUsage, vmStatus } from './views.js';
import { taskListEntry } from './tasks.js';

function clusterStatus(ctx: SimContext) {
  const nodes = [...ctx.model.nodes.values()];
  const online = nodes.filter((n) => nodeOnline(n, ctx.faults)).length;
  const entries: Record<string, unknown>[] = [
    {
      type: 'cluster',
      id: 'cluster',
      name: ctx.model.clusterName,
      nodes: nodes.length,
      quorate: online * 2 > nodes.length ? 1 : 0,
      version: nodes.length + 2,
    },
  ];
  nodes.forEach((n, i) => {
    entries.push({
      type: 'node',
      id: `node/${n.name}`,
      name: n.name,
      nodeid: n.nodeid,
      ip: n.ip,
      // The simulator answers as the first node, which is where a client's connection lands.
      local: i === 0 ? 1 : 0,
      online: nodeOnline(n, ctx.faults) ? 1 : 0,
      level: '',
    });
  });
  return entries;
}

function resources(req: ApiRequest, ctx: SimContext) {
  const type = req.params.type as string | undefined;
  const identity = req.identity;
  const out: Record<string, unknown>[] = [];
  // Privileges are granted on / with propagation, so the path does not narrow them (identities.ts).
  const allowed = (privs: string[], any = false) => !!identity && hasPrivs(identity, privs, any);
  if (!type || type === 'vm') {
    for (const vm of [...ctx.model.vms.values()].sort((a, b) => a.vmid - b.vmid)) {
      if (!allowed(['VM.Audit'])) continue;
      const node = ctx.model.node(vm.node);
      const entry: Record<string, unknown> = { id: `qemu/${vm.vmid}`, type: 'qemu', vmid: vm.vmid, node: vm.node };
      if (node && nodeOnline(node, ctx.faults)) {
        const s = vmStatus(vm, ctx.clock);
        Object.assign(entry, {
          name: s.name,
          status: s.status,
          // API2Tools.pm:100 sends 0/1 although the schema says boolean (BEHAVIOUR.md).
          template: isTemplate(vm.config) ? 1 : 0,
          uptime: s.uptime,
          maxcpu: s.cpus,
          cpu: s.cpu,
          maxmem: s.maxmem,
          mem: s.mem,
          memhost: s.memhost,
          maxdisk: s.maxdisk,
          disk: 0,
          netin: s.netin,
          netout: s.netout,
          diskread: s.diskread,
          diskwrite: s.diskwrite,
        });
      } else {
        // No fresh RRD data from an unreachable node: status unknown, no usage.
        Object.assign(entry, {
          name: vm.config.name ?? `VM ${vm.vmid}`,
          status: 'unknown',
          template: isTemplate(vm.config) ? 1 : 0,
          maxcpu: cpuCount(vm.config),
          maxmem: memoryMiB(vm.config) * 1024 * 1024,
          maxdisk: bootDisk(vm.config)?.size ?? 0,
        });
      }
      if (vm.config.lock) entry.lock = vm.config.lock;
      if (vm.config.tags !== undefined) entry.tags = vm.config.tags;
      if (vm.pool) entry.pool = vm.pool;
      out.push(entry);
    }
  }
  if (!type || type === 'node') {
    for (const node of ctx.model.nodes.values()) {
      if (!allowed(['Sys.Audit'])) continue;
      const entry: Record<string, unknown> = { id: `node/${node.name}`, type: 'node', node: node.name, level: '' };
      if (nodeOnline(node, ctx.faults)) {
        Object.assign(
          entry,
          { status: 'online', 'cgroup-mode': 2 },
          nodeSummary(ctx.model, node, ctx.usage, ctx.clock),
        );
      } else {
        Object.assign(entry, {
          status: 'offline',
          maxcpu: node.cpus,
          maxmem: node.memoryBytes,
          maxdisk: node.rootfsBytes,
        });
      }
      out.push(entry);
    }
  }
  if (!type || type === 'storage') {
    for (const node of ctx.model.nodes.values()) {
      for (const s of ctx.model.storagesOnNode(node.name)) {
        if (!allowed(['Datastore.Audit', 'Datastore.AllocateSpace'], true)) continue;
        const entry: Record<string, unknown> = {
          id: `storage/${node.name}/${s.id}`,
          storage: s.id,
          node: node.name,
          type: 'storage',
          plugintype: s.type,
          status: 'unknown',
          shared: s.shared ? 1 : 0,
          content: [...s.content].sort().join(','),
        };
        if (nodeOnline(node, ctx.faults)) {
          const u = storageUsage(ctx.model, s, node.name);
          Object.assign(entry, { status: 'available', disk: u.used, maxdisk: u.total });
        }
        out.push(entry);
      }
    }
  }
  if (!type || type === 'sdn') {
    for (const node of ctx.model.nodes.values()) {
      out.push({
        id: `sdn/${node.name}/localnetwork`,
        sdn: 'localnetwork',
        node: node.name,
        type: 'sdn',
        status: nodeOnline(node, ctx.faults) ? 'ok' : 'unknown',
      });
    }
  }
  return out;
}

/** The first free VMID in [100, 1000000) (Cluster.pm:1039-1046), as a string like real fixtures. */
function nextid(req: ApiRequest, ctx: SimContext): string {
  const wanted = req.params.vmid as number | undefined;
  if (wanted !== undefined) {
    if (ctx.model.vms.has(wanted)) throw paramError({ vmid: `VM ${wanted} already exists` });
    return String(wanted);
  }
  for (let i = 100; i < 1_000_000; i++) if (!ctx.model.vms.has(i)) return String(i);
  throw fail('unable to get any free VMID in range [100, 1000000]');
}

function clusterTasks(req: ApiRequest, ctx: SimContext) {
  const identity = req.identity;
  const all = ctx.tasks.list();
  const running = all.filter((t) => t.status === 'running');
  const finished = all.filter((t) => t.status === 'stopped').slice(0, 50);
  return [...running, ...finished]
    .filter((t) => !identity || t.user === identity.authid || hasPrivs(identity, ['Sys.Audit']))
    .map((t) => taskListEntry(t));
}

export const clusterRoutes: Route[] = [
  {
    method: 'GET',
    path: '/version',
    name: 'version',
    params: { properties: {}, additionalProperties: false },
    permissions: { user: 'all' },
    handler: () => ({ version: VERSION.version, release: VERSION.release, repoid: VERSION.repoid }),
  },
  {
    method: 'GET',
    path: '/cluster/status',
    name: 'get_status',
    params: { properties: {}, additionalProperties: false },
    permissions: { check: ['perm', '/', ['Sys.Audit']] },
    handler: (_req, ctx) => clusterStatus(ctx),
  },
  {
    method: 'GET',
    path: '/cluster/resources',
    name: 'resources',
    params: { additionalProperties: false, properties: { type: optEnum(['vm', 'storage', 'node', 'sdn']) } },
    permissions: { user: 'all' },
    handler: resources,
  },
  {
    method: 'GET',
    path: '/cluster/nextid',
    name: 'nextid',
    params: { additionalProperties: false, properties: { vmid: opt(std.vmid) } },
    permissions: { user: 'all' },
    handler: nextid,
  },
  {
    method: 'GET',
    path: '/cluster/tasks',
    name: 'tasks',
    params: { properties: {}, additionalProperties: false },
    permissions: { user: 'all' },
    handler: clusterTasks,
  },
];
