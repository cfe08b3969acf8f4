import { randomUUID } from 'node:crypto';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { Agent, fetch } from 'undici';
import type { Db } from '../../apps/api/src/db/client.js';
import { users, vmOperations, vms } from '../../apps/api/src/db/schema/index.js';
import type { Services } from '../../apps/api/src/services.js';
import type { ControlState } from '../../packages/pve-sim/src/index.js';
import { buildCluster } from '../../packages/pve-sim/src/model/seed.js';
import { stoppedRuntime, type VmConfig, type VmModel } from '../../packages/pve-sim/src/model/types.js';
import { newSmbios, randomMac } from '../../packages/pve-sim/src/model/vm.js';
import { DEFAULT_TEMPLATES } from '../../packages/pve-sim/src/options.js';
import type { PersistedState } from '../../packages/pve-sim/src/persist/state-store.js';
import { createRandom, type Random } from '../../packages/pve-sim/src/random.js';
import type { ClusterInfo } from './clusters.js';
import { nodeNames, type PlannedVm } from './plan.js';

const MIB = 1024 * 1024;
/** The simulator's debian-12-cloud template is VMID 9000 on the first node, 9100 on the second… */
const templateOn = (nodeIndex: number) => 9000 + 100 * nodeIndex;

/** A linked clone of the node's Debian template, as the simulator's clone leaves one, in the state Proxmox shows. */
function vmModel(vm: PlannedVm, template: VmModel, nodes: string[], random: Random, now: number): VmModel {
  // Before the drift a vanished VM was there as we knew it; it is removed through the simulator later.
  const pve = vm.pve ?? { ...vm.db!, power: vm.db!.powerState === 'running' ? 'running' : 'stopped' };
  const config: VmConfig = {};
  for (const [key, value] of Object.entries(template.config))
    if (!/^(template|lock|scsi0|ide2|net0|smbios1|vmgenid|name)$/.test(key)) config[key] = value;
  const nodeIndex = nodes.indexOf(pve.node);
  // A migrated VM moved with its disk on the shared store; the others are linked clones on local-lvm.
  config.scsi0 =
    vm.drift === 'migrated'
      ? `shared:${vm.vmid}/vm-${vm.vmid}-disk-0.qcow2,iothread=1,size=3G`
      : `local-lvm:base-${templateOn(nodeIndex)}-disk-0/vm-${vm.vmid}-disk-0,iothread=1,size=3G`;
  config.ide2 = `local-lvm:vm-${vm.vmid}-cloudinit,media=cdrom`;
  config.net0 = `virtio=${randomMac(random)},bridge=vmbr0,firewall=1`;
  config.smbios1 = newSmbios();
  config.vmgenid = randomUUID();
  config.name = pve.name;
  config.cores = String(pve.cores);
  config.memory = String(pve.memoryMib);
  const runtime = stoppedRuntime();
  if (pve.power !== 'stopped') {
    Object.assign(runtime, {
      status: 'running',
      paused: pve.power === 'paused',
      startedAt: now - random.int(60, 30 * 86_400) * 1000,
      pid: random.int(10_000, 4_000_000),
      cpu: pve.power === 'paused' ? 0 : random.between(0.02, 0.4),
      mem: Math.round(pve.memoryMib * MIB * random.between(0.2, 0.8)),
    });
  }
  return { vmid: vm.vmid, node: pve.node, config, pending: {}, pendingDelete: {}, snapshots: {}, runtime };
}

/** A simulated Proxmox server, in the simulators' process, reached over HTTPS as the platform reaches it. */
export interface Cluster extends ClusterInfo {
  /** The simulator's control API: destroys a VM behind the platform's back (`qm destroy` on the host). */
  vanish(vmid: number): Promise<void>;
  /** What the simulator holds now. */
  state(): Promise<ControlState>;
}

/**
 * One simulated cluster per server, each with its VMs written into the
 * simulator's own saved state (cluster.json, what `persist` reloads on
 * start): thousands of VMs in well under a second, where cloning them over
 * HTTP would take minutes. The simulators run in a child process
 * (clusters.ts). Then the drift Proxmox's own tools cause: the vanished VMs
 * are destroyed through the simulator's control API.
 */
export async function startClusters(opts: {
  plan: PlannedVm[];
  servers: number;
  nodes: number;
  seed: number;
}): Promise<{ clusters: Cluster[]; pid: number; close(): Promise<void> }> {
  const now = Date.now();
  const nodes = nodeNames(opts.nodes);
  const dirs: string[] = [];
  for (let server = 0; server < opts.servers; server++) {
    const random = createRandom(opts.seed + server);
    const dir = mkdtempSync(path.join(tmpdir(), `bench-reconcile-${server}-`));
    dirs.push(dir);
    const cluster = buildCluster({
      clusterName: `bench${server}`,
      nodes: nodes.map((name) => ({ name, memoryGiB: 1024, cpus: 64 })),
      templates: DEFAULT_TEMPLATES,
      now,
      random,
    });
    const templates = new Map(cluster.vms.map((v) => [v.vmid, v]));
    for (const vm of opts.plan) {
      if (vm.server !== server) continue;
      const node = (vm.pve ?? vm.db)!.node;
      cluster.vms.push(vmModel(vm, templates.get(templateOn(nodes.indexOf(node)))!, nodes, random, now));
    }
    const state: PersistedState = { version: 1, savedAt: now, cluster, tasks: [] };
    writeFileSync(path.join(dir, 'cluster.json'), JSON.stringify(state));
  }

  const child = fork(fileURLToPath(new URL('./clusters.ts', import.meta.url)), [String(opts.seed), ...dirs], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.connected) child.disconnect();
    await exited;
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  };
  try {
    const info = await new Promise<ClusterInfo[]>((resolve, reject) => {
      child.once('message', (m) => resolve((m as { ready: ClusterInfo[] }).ready));
      child.once('exit', (code) => reject(new Error(`the simulators' process ended (${code})`)));
    });
    const clusters = info.map((c): Cluster => {
      const dispatcher = new Agent({ connect: { ca: c.caPem } });
      const control = async (method: string, route: string) => {
        const res = await fetch(`${c.url}/_sim${route}`, {
          method,
          headers: { authorization: `Bearer ${c.controlToken}` },
          dispatcher,
        });
        if (!res.ok) throw new Error(`${method} /_sim${route}: ${res.status} ${await res.text()}`);
        return res.json();
      };
      return {
        ...c,
        vanish: async (vmid) => void (await control('POST', `/vms/${vmid}/vanish`)),
        state: async () => (await control('GET', '/state')) as ControlState,
      };
    });
    for (const vm of opts.plan) if (vm.db && !vm.pve) await clusters[vm.server]!.vanish(vm.vmid);
    return { clusters, pid: child.pid!, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * The platform's side: the servers added as an operator adds them (the
 * servers service: connection test, sealed token, audit), owners, and one
 * VM record per VM it created, as its last reconciliation left them.
 */
export async function seedDatabase(opts: {
  db: Db;
  services: Services;
  clusters: Cluster[];
  plan: PlannedVm[];
  owners: number;
  now: Date;
}): Promise<{ serverIds: string[]; vmIds: Map<PlannedVm, string> }> {
  const { db, services, clusters, now } = opts;
  const serverIds: string[] = [];
  for (const [i, c] of clusters.entries()) {
    const s = await services.servers.create(
      null,
      {
        name: `Cluster ${i}`,
        url: c.url,
        tokenId: c.tokenId,
        tokenSecret: c.tokenSecret,
        tls: { fingerprint: c.fingerprint },
      },
      { ip: null, userAgent: 'bench:reconcile', requestId: null },
    );
    serverIds.push(s.id);
  }

  const ownerIds = Array.from({ length: opts.owners }, () => randomUUID());
  for (let i = 0; i < ownerIds.length; i += 500)
    await db.insert(users).values(
      ownerIds.slice(i, i + 500).map((id, j) => ({
        id,
        email: `owner${i + j}-${id.slice(0, 8)}@example.org`,
        displayName: `Owner ${i + j}`,
        // Nobody signs in here.
        passwordHash: '!',
      })),
    );

  const lastSynced = new Date(now.getTime() - 60_000);
  const vmIds = new Map<PlannedVm, string>();
  const rows: (typeof vms.$inferInsert)[] = [];
  let n = 0;
  for (const vm of opts.plan) {
    if (!vm.db) continue;
    const id = randomUUID();
    vmIds.set(vm, id);
    const on = vm.db.powerState === 'running' || vm.db.powerState === 'paused';
    rows.push({
      id,
      ownerId: ownerIds[n++ % ownerIds.length]!,
      serverId: serverIds[vm.server]!,
      node: vm.db.node,
      vmid: vm.vmid,
      name: vm.db.name,
      cores: vm.db.cores,
      memoryMib: vm.db.memoryMib,
      diskGib: 3,
      status: vm.db.status,
      powerState: vm.db.powerState,
      // Priced, so a change of power state changes the rate and the billing trigger records it.
      priceRunningPerHour: 200,
      priceStoppedPerHour: 20,
      pricePerCoreHour: 100,
      baseCores: 1,
      cpu: on ? 0.1 : 0,
      memUsedBytes: on ? vm.db.memoryMib * MIB * 0.4 : 0,
      memTotalBytes: vm.db.memoryMib * MIB,
      uptimeSeconds: on ? 3600 : 0,
      lastSyncedAt: vm.db.status === 'lost' ? new Date(now.getTime() - 86_400_000) : lastSynced,
      lostAt: vm.db.status === 'lost' ? new Date(now.getTime() - 86_400_000) : null,
      createdAt: new Date(now.getTime() - 7 * 86_400_000),
      updatedAt: lastSynced,
    });
  }
  for (let i = 0; i < rows.length; i += 500) await db.insert(vms).values(rows.slice(i, i + 500));
  // A running platform's table, not a freshly loaded one: every row rewritten by the previous cycle,
  // then vacuumed (as autovacuum, or on PGlite page pruning, would), so updates can be HOT as they are there.
  await db.update(vms).set({ lastSyncedAt: lastSynced });
  await db.execute(sql`vacuum (analyze) vms`);

  const busy = opts.plan.filter((vm) => vm.drift === 'busy');
  if (busy.length)
    await db.insert(vmOperations).values(
      busy.map((vm) => ({
        id: randomUUID(),
        vmId: vmIds.get(vm)!,
        kind: vm.db!.powerState === 'running' ? ('stop' as const) : ('start' as const),
        status: 'running' as const,
        step: vm.db!.powerState === 'running' ? ('stopping' as const) : ('starting' as const),
        startedAt: lastSynced,
      })),
    );
  return { serverIds, vmIds };
}
