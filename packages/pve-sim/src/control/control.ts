/** The fault and state controls, shared by the programmatic API and the /_sim HTTP endpoint. */
import type { SimContext } from '../api/context.js';
import type { FaultState, NodeOfflineMode } from '../faults/faults.js';
import type { TaskRecord } from '../tasks/task-manager.js';

export interface SimulatorControl {
  getFaults(): FaultState;
  /** Merges into the active faults and returns them. */
  setFaults(patch: Partial<FaultState>): FaultState;
  resetFaults(): FaultState;
  setLatency(ms: number): void;
  /** A fraction (0..1) of API calls answered with a 500, optionally with a fixed message. */
  setErrorRate(rate: number, message?: string): void;
  /** A fraction (0..1) of tasks that fail, optionally with a fixed exit status. */
  setTaskFailureRate(rate: number, message?: string): void;
  /** Cuts a node off: its calls are refused (595 No route to host) or hang (then 595 Connection timed out). */
  setNodeOffline(node: string, mode?: NodeOfflineMode): void;
  /** Reconnects a node, and powers it on if it was shut down through the API. */
  setNodeOnline(node: string): void;
  /** Deletes a VM behind the API's back (as `qm destroy` on the host would). Returns false if unknown. */
  vanishVm(vmid: number): boolean;
  /** Advances the usage statistics by one period now. */
  tick(): void;
  /** Resolves when the task has stopped; undefined for an unknown UPID. */
  waitForTask(upid: string): Promise<TaskRecord | undefined>;
  /** A summary of the cluster: nodes, VMs, running tasks. */
  state(): ControlState;
}

export interface ControlState {
  nodes: { name: string; online: boolean; poweredOff: boolean; offlineMode?: NodeOfflineMode }[];
  vms: { vmid: number; node: string; name?: string; status: string; lock?: string; template: boolean }[];
  runningTasks: string[];
}

export function createControl(ctx: SimContext): SimulatorControl {
  const control: SimulatorControl = {
    getFaults: () => ctx.faults.get(),
    setFaults: (patch) => ctx.faults.set(patch),
    resetFaults: () => ctx.faults.reset(),
    setLatency: (ms) => void ctx.faults.set({ latencyMs: ms }),
    setErrorRate: (rate, message) => void ctx.faults.set({ errorRate: rate, errorMessage: message }),
    setTaskFailureRate: (rate, message) => void ctx.faults.set({ taskFailureRate: rate, taskFailureMessage: message }),
    setNodeOffline: (node, mode = 'refuse') => {
      if (!ctx.model.node(node)) throw new Error(`no such node '${node}'`);
      ctx.faults.setNodeOffline(node, mode);
    },
    setNodeOnline: (node) => {
      const n = ctx.model.node(node);
      if (!n) throw new Error(`no such node '${node}'`);
      ctx.faults.setNodeOnline(node);
      if (n.poweredOff) {
        n.poweredOff = false;
        n.bootedAt = ctx.clock.now();
        ctx.model.touch();
      }
    },
    vanishVm: (vmid) => {
      if (!ctx.model.vms.has(vmid)) return false;
      ctx.consoles.closeForVm(vmid);
      ctx.model.removeVm(vmid);
      ctx.log.info(`VM ${vmid} vanished (fault injection)`);
      return true;
    },
    tick: () => ctx.usage.tick(),
    waitForTask: (upid) => ctx.tasks.wait(upid),
    state: () => ({
      nodes: [...ctx.model.nodes.values()].map((n) => ({
        name: n.name,
        online: !n.poweredOff && !ctx.faults.nodeOffline(n.name),
        poweredOff: !!n.poweredOff,
        ...(ctx.faults.nodeOffline(n.name) ? { offlineMode: ctx.faults.nodeOffline(n.name) } : {}),
      })),
      vms: [...ctx.model.vms.values()]
        .sort((a, b) => a.vmid - b.vmid)
        .map((v) => ({
          vmid: v.vmid,
          node: v.node,
          name: v.config.name,
          status: v.runtime.paused ? 'paused' : v.runtime.status,
          lock: v.config.lock,
          template: v.config.template === '1',
        })),
      runningTasks: ctx.tasks.running().map((t) => t.upid),
    }),
  };
  return control;
}
