import { TaskManager, type StartTask, type TaskRecord } from '../../packages/pve-sim/src/tasks/task-manager.js';

export interface TaskSpan {
  upid: string;
  type: string;
  node: string;
  /** The VM the task worked on: the new VM for a clone (its id is the source's). */
  vmid: number | null;
  startedMs: number;
  endedMs: number | null;
  exitstatus: string | null;
}

/**
 * Times every task the simulator runs, to the sub-millisecond. Proxmox (and
 * the simulator) only record task start and end in whole seconds, far too
 * coarse for tasks that take tens of milliseconds at a fast time scale, so the
 * benchmark listens to the simulator's task manager through its public
 * `onChange` hook. Call before `startSimulator`; the simulator must be
 * imported from source (the same module instance as this one).
 */
export function trackSimulatorTasks() {
  const spans = new Map<string, TaskSpan>();
  const hooked = new WeakSet<TaskManager>();
  const start = TaskManager.prototype.start;

  function onChange(t: TaskRecord) {
    const now = performance.now();
    if (t.status === 'running') {
      if (!spans.has(t.upid)) {
        spans.set(t.upid, {
          upid: t.upid,
          type: t.type,
          node: t.node,
          vmid: /^\d+$/.test(t.id) ? Number(t.id) : null,
          startedMs: now,
          endedMs: null,
          exitstatus: null,
        });
      }
      return;
    }
    const span = spans.get(t.upid);
    if (!span || span.endedMs !== null) return;
    span.endedMs = now;
    span.exitstatus = t.exitstatus ?? null;
    // A clone's id is its source; its log names the new VM's volumes (vm-<newid>-disk-0).
    if (t.type === 'qmclone') {
      const named = t.log.flatMap((l) => [...l.matchAll(/\bvm-(\d+)-/g)].map((m) => Number(m[1])));
      span.vmid = named.find((n) => String(n) !== t.id) ?? null;
    }
  }

  TaskManager.prototype.start = function (this: TaskManager, opts: StartTask) {
    if (!hooked.has(this)) {
      hooked.add(this);
      this.onChange(onChange);
    }
    return start.call(this, opts);
  };

  return {
    spans: () => [...spans.values()],
    restore() {
      TaskManager.prototype.start = start;
    },
  };
}
