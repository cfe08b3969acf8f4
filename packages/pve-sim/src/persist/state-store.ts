/**
 * Optional persistence of the whole cluster to `<stateDir>/cluster.json`, so a demo keeps its VMs
 * across restarts. Writes are debounced (many changes in a burst make one write) and atomic.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ClusterSnapshot } from '../model/cluster.js';
import type { TaskRecord } from '../tasks/task-manager.js';
import type { Logger } from '../options.js';
import { writeFileAtomic } from './atomic-file.js';

export interface PersistedState {
  version: 1;
  savedAt: number;
  cluster: ClusterSnapshot;
  tasks: TaskRecord[];
}

/** Locks that only exist while a task runs; a task cannot survive a restart, so neither can they. */
const TRANSIENT_LOCKS = new Set(['backup', 'migrate', 'rollback', 'snapshot', 'snapshot-delete', 'suspending']);

export class StateStore {
  private timer: NodeJS.Timeout | undefined;
  private pending: (() => PersistedState) | undefined;

  constructor(
    readonly file: string,
    private readonly opts: { debounceMs?: number; log: Logger },
  ) {}

  /**
   * Reads the saved state. What was in flight when the process stopped is settled the way a
   * crashed worker leaves it: tasks end with "unexpected status", VMs half-created by clone or
   * create are removed (as their task's error path would), transient locks are released.
   */
  load(): PersistedState | undefined {
    if (!existsSync(this.file)) return undefined;
    const state = JSON.parse(readFileSync(this.file, 'utf8')) as PersistedState;
    if (state.version !== 1) throw new Error(`${this.file}: unsupported state version ${String(state.version)}`);
    for (const t of state.tasks) {
      if (t.status !== 'running') continue;
      t.status = 'stopped';
      t.exitstatus = 'unexpected status';
      t.endtime = Math.floor(state.savedAt / 1000);
    }
    state.cluster.vms = state.cluster.vms.filter((vm) => {
      const lock = vm.config.lock;
      if (lock === 'clone' || lock === 'create') {
        this.opts.log.warn(`VM ${vm.vmid}: dropping the unfinished ${lock} interrupted by the last shutdown`);
        return false;
      }
      if (lock && TRANSIENT_LOCKS.has(lock)) delete vm.config.lock;
      return true;
    });
    return state;
  }

  /** Saves `snapshot()` soon; repeated calls within the debounce window coalesce. */
  schedule(snapshot: () => PersistedState): void {
    this.pending = snapshot;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.opts.debounceMs ?? 500);
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const snapshot = this.pending;
    this.pending = undefined;
    if (!snapshot) return;
    try {
      writeFileAtomic(this.file, JSON.stringify(snapshot()));
    } catch (err) {
      this.opts.log.error(`could not save ${this.file}: ${(err as Error).message}`);
    }
  }
}
