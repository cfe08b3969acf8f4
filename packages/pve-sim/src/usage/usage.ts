/**
 * Resource usage that moves like a real cluster's: each running VM's CPU and memory follow a
 * mean-reverting random walk, its network and disk counters grow by rates that wander too, and
 * nodes add up their guests. Values change once per statistics period (pvestatd: every 10 s,
 * BEHAVIOUR.md), stay put in between, and are zero for stopped VMs.
 */
import type { Clock, TimerHandle } from '../clock.js';
import type { ClusterModel } from '../model/cluster.js';
import { GiB } from '../model/sizes.js';
import type { NodeModel, VmModel } from '../model/types.js';
import { cpuCount, memoryMiB } from '../model/vm.js';
import type { Random } from '../random.js';

interface VmDrift {
  cpuBase: number;
  memRatio: number;
  memTarget: number;
  netRate: number;
  diskRate: number;
}

export interface NodeUsage {
  cpu: number;
  memUsed: number;
  swapUsed: number;
  rootfsUsed: number;
  /** 1, 5 and 15 minute load averages. */
  load: [number, number, number];
  /** I/O wait fraction. */
  wait: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export class UsageModel {
  private readonly drift = new Map<number, VmDrift>();
  private readonly nodes = new Map<string, NodeUsage>();
  private timer: TimerHandle | undefined;
  private lastTick: number;

  constructor(private readonly deps: { model: ClusterModel; clock: Clock; random: Random; intervalMs: number }) {
    this.lastTick = deps.clock.now();
  }

  /** Starts the periodic update; each period is `intervalMs` of simulated time. */
  start(): void {
    const loop = () => {
      this.tick();
      this.timer = this.deps.clock.setTimer(loop, this.deps.intervalMs);
    };
    this.tick();
    this.timer = this.deps.clock.setTimer(loop, this.deps.intervalMs);
  }

  stop(): void {
    this.deps.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  /** A VM just started: light load, a quarter of its memory touched, counters from zero. */
  vmStarted(vm: VmModel): void {
    const r = this.deps.random;
    const maxmem = memoryMiB(vm.config) * 1024 * 1024;
    const d: VmDrift = {
      cpuBase: r.between(0.02, 0.35),
      memRatio: r.between(0.15, 0.3),
      memTarget: r.between(0.35, 0.8),
      netRate: r.between(2_000, 200_000),
      diskRate: r.between(5_000, 500_000),
    };
    this.drift.set(vm.vmid, d);
    Object.assign(vm.runtime, {
      cpu: r.between(0.05, 0.3),
      mem: Math.round(maxmem * d.memRatio),
      netin: 0,
      netout: 0,
      diskread: 0,
      diskwrite: 0,
    });
  }

  vmStopped(vm: VmModel): void {
    this.drift.delete(vm.vmid);
    Object.assign(vm.runtime, { cpu: 0, mem: 0, netin: 0, netout: 0, diskread: 0, diskwrite: 0 });
  }

  /** Advances every running VM and every node by the real time since the last tick. */
  tick(): void {
    const now = this.deps.clock.now();
    const dt = Math.max(0, (now - this.lastTick) / 1000);
    this.lastTick = now;
    const r = this.deps.random;
    for (const vm of this.deps.model.vms.values()) {
      if (vm.runtime.status !== 'running') continue;
      let d = this.drift.get(vm.vmid);
      if (!d) {
        // Running after a restart of the simulator: pick up from the saved values.
        d = {
          cpuBase: r.between(0.02, 0.35),
          memRatio: 0.4,
          memTarget: r.between(0.35, 0.8),
          netRate: r.between(2_000, 200_000),
          diskRate: r.between(5_000, 500_000),
        };
        this.drift.set(vm.vmid, d);
      }
      const rt = vm.runtime;
      if (rt.paused) {
        rt.cpu = 0;
        continue;
      }
      const maxmem = memoryMiB(vm.config) * 1024 * 1024;
      d.cpuBase = clamp(d.cpuBase + r.between(-0.02, 0.02), 0.01, 0.6);
      rt.cpu = clamp(rt.cpu + 0.3 * (d.cpuBase - rt.cpu) + r.between(-0.05, 0.05), 0.002, 0.99);
      d.memRatio = clamp(d.memRatio + 0.1 * (d.memTarget - d.memRatio) + r.between(-0.02, 0.02), 0.05, 0.97);
      rt.mem = Math.round(maxmem * d.memRatio);
      d.netRate = clamp(d.netRate * Math.exp(r.between(-0.3, 0.3)), 500, 5_000_000);
      d.diskRate = clamp(d.diskRate * Math.exp(r.between(-0.3, 0.3)), 1_000, 20_000_000);
      rt.netin += Math.round(d.netRate * dt * r.between(0.8, 1.2));
      rt.netout += Math.round(d.netRate * 0.6 * dt * r.between(0.8, 1.2));
      rt.diskread += Math.round(d.diskRate * dt * r.between(0.5, 1.5));
      rt.diskwrite += Math.round(d.diskRate * 0.7 * dt * r.between(0.5, 1.5));
    }
    for (const node of this.deps.model.nodes.values()) this.nodes.set(node.name, this.nodeTick(node, dt));
  }

  private nodeTick(node: NodeModel, dt: number): NodeUsage {
    const r = this.deps.random;
    const prev = this.nodes.get(node.name);
    let guestCpu = 0;
    let guestMem = 0;
    for (const vm of this.deps.model.vmsOn(node.name)) {
      if (vm.runtime.status !== 'running') continue;
      guestCpu += vm.runtime.cpu * cpuCount(vm.config);
      guestMem += vm.runtime.mem + 150 * 1024 * 1024; // QEMU's own overhead
    }
    const cpu = clamp(0.01 + guestCpu / node.cpus + r.between(0, 0.02), 0, 1);
    const runnable = cpu * node.cpus;
    // Load averages decay towards the run queue length with 1, 5 and 15 minute time constants.
    const decay = (prevLoad: number | undefined, minutes: number) =>
      prevLoad === undefined ? runnable : runnable + (prevLoad - runnable) * Math.exp(-dt / (60 * minutes));
    return {
      cpu,
      memUsed: Math.min(node.memoryBytes - GiB, Math.round(2.4 * GiB + guestMem + r.between(0, 0.2) * GiB)),
      swapUsed: 0,
      rootfsUsed: Math.round(node.rootfsBytes * 0.09),
      load: [decay(prev?.load[0], 1), decay(prev?.load[1], 5), decay(prev?.load[2], 15)],
      wait: r.between(0, 0.01),
    };
  }

  node(name: string): NodeUsage {
    let u = this.nodes.get(name);
    if (!u) {
      this.tick();
      u = this.nodes.get(name) as NodeUsage;
    }
    return u;
  }
}
