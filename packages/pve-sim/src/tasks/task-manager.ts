/**
 * Worker tasks (fork_worker): each operation that Proxmox runs in the background gets a UPID, a
 * log that grows while it runs, and an exit status once it stops: "OK", "WARNINGS: N" or the
 * error text (BEHAVIOUR.md, UPID and tasks). Durations come from the caller, in simulated time.
 */
import type { Clock } from '../clock.js';
import type { Faults } from '../faults/faults.js';
import { PveError } from '../http/errors.js';
import type { ClusterModel } from '../model/cluster.js';
import type { Random } from '../random.js';
import { encodeUpid } from './upid.js';
import type { Release, VmLocks } from './vm-locks.js';

export interface TaskRecord {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  user: string;
  status: 'running' | 'stopped';
  exitstatus?: string;
  endtime?: number;
  log: string[];
}

/** A task's failure: its message becomes the exit status (`TASK ERROR: <message>`). */
export class TaskError extends Error {}

/** Raised in a task when it is stopped (DELETE …/tasks/{upid}); fork_worker's SIGTERM handler text. */
export class TaskInterrupted extends TaskError {
  constructor() {
    super('received interrupt');
  }
}

export interface TaskContext {
  readonly upid: string;
  readonly signal: AbortSignal;
  log(line: string): void;
  warn(line: string): void;
  /** Waits `simMs` of simulated time; throws TaskInterrupted when the task is stopped. */
  sleep(simMs: number): Promise<void>;
  /** Takes the VM's file lock for the rest of the task (released when it ends). */
  lockVm(vmid: number, opts?: { shared?: boolean; timeoutMs?: number }): Promise<void>;
  /** Where an injected failure strikes: call it before the task commits its change. */
  failpoint(): void;
}

export type TaskBody = (ctx: TaskContext) => Promise<void>;

export interface StartTask {
  node: string;
  type: string;
  id?: string | number;
  user: string;
  run: TaskBody;
  /** The exit status an injected failure uses for this task type. */
  failureMessage?: string;
}

const MAX_FINISHED = 1000;

export class TaskManager {
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly controllers = new Map<string, AbortController>();
  private readonly done = new Map<string, Promise<void>>();
  private readonly listeners: ((t: TaskRecord) => void)[] = [];

  constructor(
    private readonly deps: { clock: Clock; random: Random; faults: Faults; model: ClusterModel; locks: VmLocks },
  ) {}

  /** Called whenever a task starts or stops (persistence, VNC sessions). */
  onChange(listener: (t: TaskRecord) => void): void {
    this.listeners.push(listener);
  }

  start(opts: StartTask): TaskRecord {
    const { clock, random, model } = this.deps;
    const node = model.node(opts.node);
    const now = clock.now();
    const uptimeTicks = Math.max(1, Math.floor((now - (node?.bootedAt ?? now - 3_600_000)) / 10));
    let record: TaskRecord;
    do {
      const pid = random.int(1000, 4_194_303);
      const parts = {
        node: opts.node,
        pid,
        pstart: uptimeTicks,
        starttime: Math.floor(now / 1000),
        type: opts.type,
        id: opts.id === undefined ? '' : String(opts.id),
        user: opts.user,
      };
      record = { upid: encodeUpid(parts), ...parts, status: 'running', log: [] };
    } while (this.tasks.has(record.upid));
    this.tasks.set(record.upid, record);
    const controller = new AbortController();
    this.controllers.set(record.upid, controller);
    this.done.set(record.upid, this.execute(record, opts, controller));
    this.emit(record);
    this.trim();
    return record;
  }

  get(upid: string): TaskRecord | undefined {
    return this.tasks.get(upid);
  }

  /** All tasks, newest first. */
  list(): TaskRecord[] {
    return [...this.tasks.values()].sort((a, b) => b.starttime - a.starttime || (a.upid < b.upid ? 1 : -1));
  }

  running(): TaskRecord[] {
    return this.list().filter((t) => t.status === 'running');
  }

  /** Stops a running task as SIGTERM would. Returns false if it had already stopped. */
  stop(upid: string): boolean {
    const c = this.controllers.get(upid);
    if (!c || c.signal.aborted) return false;
    c.abort(new TaskInterrupted());
    return true;
  }

  /** Resolves when the task has stopped (tests and shutdown). */
  async wait(upid: string): Promise<TaskRecord | undefined> {
    await this.done.get(upid);
    return this.tasks.get(upid);
  }

  /** Stops every running task and waits for them (shutdown). */
  async stopAll(): Promise<void> {
    for (const t of this.running()) this.stop(t.upid);
    await Promise.allSettled([...this.done.values()]);
  }

  /** Finished tasks for persistence. Running ones are not saved: their worker dies with the process. */
  toJSON(): TaskRecord[] {
    return this.list().filter((t) => t.status === 'stopped');
  }

  load(records: readonly TaskRecord[]): void {
    for (const r of records) this.tasks.set(r.upid, { ...r, log: [...r.log] });
  }

  private emit(record: TaskRecord): void {
    for (const l of this.listeners) l(record);
  }

  private async execute(record: TaskRecord, opts: StartTask, controller: AbortController): Promise<void> {
    const { clock, faults, locks } = this.deps;
    const injected = faults.drawTaskFailure();
    let warnings = 0;
    let failpointHit = false;
    const releases: Release[] = [];
    const ctx: TaskContext = {
      upid: record.upid,
      signal: controller.signal,
      log: (line) => {
        for (const l of line.split('\n')) record.log.push(l);
      },
      warn: (line) => {
        warnings++;
        record.log.push(`WARN: ${line}`);
      },
      sleep: (simMs) => clock.sleep(simMs, controller.signal),
      lockVm: async (vmid, lockOpts) => {
        releases.push(await locks.acquire(vmid, { ...lockOpts, signal: controller.signal }));
      },
      failpoint: () => {
        if (!injected || failpointHit) return;
        failpointHit = true;
        throw new TaskError(injected.message ?? opts.failureMessage ?? 'command failed: exit code 1');
      },
    };
    let error: string | undefined;
    try {
      // Let the API answer with the UPID before the worker does anything, as a fork would.
      await Promise.resolve();
      await opts.run(ctx);
      ctx.failpoint();
    } catch (err) {
      error = errorText(err);
    } finally {
      for (const r of releases.reverse()) r();
    }
    if (error !== undefined) {
      record.log.push(`TASK ERROR: ${error}`);
      record.exitstatus = error;
    } else if (warnings > 0) {
      record.log.push(`TASK WARNINGS: ${warnings}`);
      record.exitstatus = `WARNINGS: ${warnings}`;
    } else {
      record.log.push('TASK OK');
      record.exitstatus = 'OK';
    }
    record.status = 'stopped';
    record.endtime = Math.floor(clock.now() / 1000);
    this.controllers.delete(record.upid);
    this.emit(record);
  }

  private trim(): void {
    const finished = this.list().filter((t) => t.status === 'stopped');
    for (const t of finished.slice(MAX_FINISHED)) {
      this.tasks.delete(t.upid);
      this.done.delete(t.upid);
    }
  }
}

/** The exit status Proxmox would record: the error's text without the trailing newline, one line. */
function errorText(err: unknown): string {
  const text = err instanceof PveError || err instanceof Error ? err.message : String(err);
  const trimmed = text.replace(/\n+$/, '');
  return trimmed.split('\n').pop() || 'unexpected status';
}
