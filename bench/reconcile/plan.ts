import type { PowerState, VmStatus } from '@uni-manager/contracts';
import { createRandom } from '../../packages/pve-sim/src/random.js';

/**
 * What happened to a VM since the platform last looked, behind its back:
 * - steady: nothing;
 * - stopped / started: powered off or on in Proxmox (its web UI, qm, a guest shutdown);
 * - vanished: destroyed in Proxmox (the simulator's vanishVm, as `qm destroy` on the host);
 * - unknown: a VM Proxmox runs that the platform has no record of;
 * - found: a VM the platform had flagged lost, back (restored from a backup);
 * - paused / resumed: suspended VMs, still paused or resumed in Proxmox;
 * - busy: changed in Proxmox while one of our operations is active on it;
 * - resized, renamed, migrated: cores and memory, name, node changed in Proxmox.
 */
export const drifts = [
  'steady',
  'stopped',
  'started',
  'vanished',
  'unknown',
  'found',
  'paused',
  'resumed',
  'busy',
  'resized',
  'renamed',
  'migrated',
] as const;
export type Drift = (typeof drifts)[number];

/** Per 1,000 VMs on a server (what Proxmox lists after the drift); the rest are steady. */
const PER_MILLE: Record<Exclude<Drift, 'steady'>, number> = {
  stopped: 30,
  started: 30,
  vanished: 20,
  unknown: 20,
  found: 5,
  paused: 6,
  resumed: 4,
  busy: 10,
  resized: 5,
  renamed: 3,
  migrated: 3,
};

export interface PlannedVm {
  server: number;
  vmid: number;
  drift: Drift;
  /** What our record says (null: no record, an unknown VM). */
  db: {
    name: string;
    node: string;
    cores: number;
    memoryMib: number;
    status: VmStatus;
    powerState: PowerState;
  } | null;
  /** What Proxmox holds after the drift (null: gone). */
  pve: { name: string; node: string; cores: number; memoryMib: number; power: 'running' | 'stopped' | 'paused' } | null;
}

export const FIRST_VMID = 100;
export const nodeNames = (nodes: number) => Array.from({ length: nodes }, (_, i) => `pve${i + 1}`);

/**
 * The same plan for a given seed: per server, `perServer` VMs in Proxmox
 * after the drift, plus the vanished ones that only our records still hold.
 */
export function plan(opts: { servers: number; perServer: number; nodes: number; seed: number }): PlannedVm[] {
  const random = createRandom(opts.seed);
  const nodes = nodeNames(opts.nodes);
  const out: PlannedVm[] = [];
  for (let server = 0; server < opts.servers; server++) {
    const kinds: Drift[] = [];
    for (const [drift, n] of Object.entries(PER_MILLE) as [Drift, number][])
      for (let i = 0; i < Math.round((n * opts.perServer) / 1000); i++) kinds.push(drift);
    const listed = kinds.filter((k) => k !== 'vanished').length;
    if (listed > opts.perServer) throw new Error('too few VMs per server for the drift mix');
    while (kinds.filter((k) => k !== 'vanished').length < opts.perServer) kinds.push('steady');
    // Shuffled, so drifted VMs are spread over VMIDs, nodes and owners.
    for (let i = kinds.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
    }
    kinds.forEach((drift, i) => {
      const vmid = FIRST_VMID + i;
      const node = nodes[i % nodes.length]!;
      const name = `vm-${server}-${vmid}`;
      const cores = random.pick([1, 2, 2, 4]);
      const memoryMib = random.pick([1024, 2048, 2048, 4096]);
      const running = random.chance(0.7);
      const power = running ? 'running' : 'stopped';
      const db = { name, node, cores, memoryMib, status: 'active' as VmStatus, powerState: power as PowerState };
      const pve = { name, node, cores, memoryMib, power: power as 'running' | 'stopped' | 'paused' };
      switch (drift) {
        case 'stopped':
          db.powerState = 'running';
          pve.power = 'stopped';
          break;
        case 'started':
          db.powerState = 'stopped';
          pve.power = 'running';
          break;
        case 'vanished':
          out.push({ server, vmid, drift, db, pve: null });
          return;
        case 'unknown':
          out.push({ server, vmid, drift, db: null, pve: { ...pve, name: `manual-${server}-${vmid}` } });
          return;
        case 'found':
          db.status = 'lost';
          db.powerState = 'unknown';
          break;
        case 'paused':
          db.powerState = 'paused';
          pve.power = 'paused';
          break;
        case 'resumed':
          db.powerState = 'paused';
          pve.power = 'running';
          break;
        case 'busy':
          // Our operation is stopping (or starting) it; Proxmox already shows the other state.
          pve.power = db.powerState === 'running' ? 'stopped' : 'running';
          break;
        case 'resized':
          pve.cores = cores * 2;
          pve.memoryMib = memoryMib * 2;
          break;
        case 'renamed':
          pve.name = `renamed-${server}-${vmid}`;
          break;
        case 'migrated':
          pve.node = nodes[(i + 1) % nodes.length]!;
          break;
        case 'steady':
          break;
      }
      out.push({ server, vmid, drift, db, pve });
    });
  }
  return out;
}

/** What our record must say after one cycle, from the plan alone. */
export function expected(
  vm: PlannedVm,
): { status: VmStatus; powerState: PowerState; node: string; name: string; cores: number; memoryMib: number } | null {
  if (!vm.db) return null;
  if (!vm.pve) return { ...vm.db, status: 'lost', powerState: 'unknown' };
  // Its operation owns it until it ends: only usage is recorded.
  if (vm.drift === 'busy') return vm.db;
  return {
    status: 'active',
    powerState: vm.pve.power,
    node: vm.pve.node,
    name: vm.pve.name,
    cores: vm.pve.cores,
    memoryMib: vm.pve.memoryMib,
  };
}
