/**
 * Faults a test or a demo can switch on: latency, a rate of 500s, a rate of failing tasks, nodes
 * cut off from the network. Draws come from the seeded Random, so a fixed seed gives fixed runs.
 */
import type { Random } from '../random.js';

/**
 * How an unreachable node shows. `refuse`: the proxy answers at once with 595 "No route to host";
 * `hang`: the request gets no answer until `hangMs` (pveproxy's own proxy timeout is 30 s), then
 * 595 "Connection timed out" — a client with a shorter timeout sees its own timeout.
 */
export type NodeOfflineMode = 'refuse' | 'hang';

export interface FaultState {
  /** Added to every /api2 request, in real milliseconds. */
  latencyMs: number;
  /** Fraction (0..1) of authenticated /api2 requests answered with a 500. */
  errorRate: number;
  /** The 500's message; a realistic default is used when absent. */
  errorMessage?: string;
  /** Fraction (0..1) of tasks that end in an error. */
  taskFailureRate: number;
  /** The failed task's exit status; each task type has a realistic default. */
  taskFailureMessage?: string;
  /** Nodes whose API calls fail, and how. */
  offlineNodes: Record<string, NodeOfflineMode>;
  /** How long a `hang` lasts before the 595 (real milliseconds). */
  hangMs: number;
}

export function defaultFaults(): FaultState {
  return { latencyMs: 0, errorRate: 0, taskFailureRate: 0, offlineNodes: {}, hangMs: 30_000 };
}

/** 500s that Proxmox really gives when its cluster file system or a daemon is in trouble. */
const SERVER_ERRORS = [
  "cfs-lock 'file-replication_cfg' error: got lock request timeout",
  "unable to read file '/etc/pve/nodes/{node}/qemu-server' - Transport endpoint is not connected",
  'cluster not ready - no quorum?',
  'got timeout',
];

export class Faults {
  private state: FaultState;

  constructor(
    private readonly random: Random,
    initial: Partial<FaultState> = {},
  ) {
    this.state = defaultFaults();
    this.set(initial);
  }

  get(): FaultState {
    return structuredClone(this.state);
  }

  /** Merges `patch` into the current faults; throws on a value out of range. */
  set(patch: Partial<FaultState>): FaultState {
    const next: FaultState = { ...this.state, ...patch, offlineNodes: { ...this.state.offlineNodes } };
    if (patch.offlineNodes) next.offlineNodes = { ...patch.offlineNodes };
    checkRate('errorRate', next.errorRate);
    checkRate('taskFailureRate', next.taskFailureRate);
    if (!(next.latencyMs >= 0)) throw new Error('latencyMs must be >= 0');
    if (!(next.hangMs >= 0)) throw new Error('hangMs must be >= 0');
    for (const [node, mode] of Object.entries(next.offlineNodes)) {
      if (mode !== 'refuse' && mode !== 'hang') throw new Error(`offline mode of '${node}' must be 'refuse' or 'hang'`);
    }
    this.state = next;
    return this.get();
  }

  reset(): FaultState {
    this.state = defaultFaults();
    return this.get();
  }

  setNodeOffline(node: string, mode: NodeOfflineMode = 'refuse'): void {
    this.set({ offlineNodes: { ...this.state.offlineNodes, [node]: mode } });
  }

  setNodeOnline(node: string): void {
    const offline = { ...this.state.offlineNodes };
    delete offline[node];
    this.set({ offlineNodes: offline });
  }

  nodeOffline(node: string): NodeOfflineMode | undefined {
    return this.state.offlineNodes[node];
  }

  get latencyMs(): number {
    return this.state.latencyMs;
  }

  get hangMs(): number {
    return this.state.hangMs;
  }

  /** Decides whether this request fails, and with which message. */
  drawServerError(node: string): string | undefined {
    if (!this.random.chance(this.state.errorRate)) return undefined;
    return (this.state.errorMessage ?? this.random.pick(SERVER_ERRORS)).replace('{node}', node);
  }

  /** Decides whether a task about to start will fail; returns its message override, or true. */
  drawTaskFailure(): { message?: string } | undefined {
    if (!this.random.chance(this.state.taskFailureRate)) return undefined;
    return this.state.taskFailureMessage ? { message: this.state.taskFailureMessage } : {};
  }
}

function checkRate(name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) throw new Error(`${name} must be between 0 and 1`);
}
