/**
 * Time for the simulator. Two kinds of time exist on purpose:
 * - wall time (`now()`): timestamps, UPID start times, uptimes, ticket ages. Always real, so a
 *   client comparing them with its own clock sees nothing odd.
 * - simulated durations (`setTimer`, `sleep`): how long a task or a stats period takes. They are
 *   multiplied by `timeScale`, so tests run a 20 s clone in 200 ms with a scale of 0.01.
 */
export interface Clock {
  readonly timeScale: number;
  /** Wall time, milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` after `simMs` of simulated time (scaled). */
  setTimer(fn: () => void, simMs: number): TimerHandle;
  /** Runs `fn` after `realMs` of real time, regardless of the time scale (network latency, auth delay). */
  setRealTimer(fn: () => void, realMs: number): TimerHandle;
  clearTimer(handle: TimerHandle | undefined): void;
  /** Resolves after `simMs` of simulated time; rejects with the signal's reason when aborted. */
  sleep(simMs: number, signal?: AbortSignal): Promise<void>;
  /** Cancels every pending timer; used on shutdown so nothing keeps the process alive. */
  dispose(): void;
}

export interface TimerHandle {
  readonly id: number;
}

interface Pending {
  fire: () => void;
  cancel: () => void;
}

abstract class BaseClock implements Clock {
  abstract readonly timeScale: number;
  abstract now(): number;
  protected readonly pending = new Map<number, Pending>();
  private nextId = 1;

  protected abstract schedule(fire: () => void, realMs: number): () => void;

  setTimer(fn: () => void, simMs: number): TimerHandle {
    return this.setRealTimer(fn, Math.max(0, simMs) * this.timeScale);
  }

  setRealTimer(fn: () => void, realMs: number): TimerHandle {
    const id = this.nextId++;
    const fire = () => {
      if (!this.pending.delete(id)) return;
      fn();
    };
    const cancel = this.schedule(fire, Math.max(0, realMs));
    this.pending.set(id, { fire, cancel });
    return { id };
  }

  clearTimer(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const p = this.pending.get(handle.id);
    if (!p) return;
    this.pending.delete(handle.id);
    p.cancel();
  }

  sleep(simMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.clearTimer(handle);
        reject(signal?.reason);
      };
      const handle = this.setTimer(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, simMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  dispose(): void {
    for (const p of this.pending.values()) p.cancel();
    this.pending.clear();
  }
}

class SystemClock extends BaseClock {
  constructor(readonly timeScale: number) {
    super();
  }

  now(): number {
    return Date.now();
  }

  protected schedule(fire: () => void, realMs: number): () => void {
    const t = setTimeout(fire, realMs);
    return () => clearTimeout(t);
  }
}

export function createSystemClock(timeScale = 1): Clock {
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new Error(`invalid time scale ${timeScale}`);
  return new SystemClock(timeScale);
}

/**
 * A clock that only moves when told to: unit tests of the task runner and the usage model use it
 * to check exact progress without waiting.
 */
export class ManualClock extends BaseClock {
  private current: number;
  private readonly queue: { at: number; seq: number; fire: () => void; cancelled: boolean }[] = [];
  private seq = 0;

  constructor(
    startMs = Date.UTC(2025, 0, 1),
    readonly timeScale = 1,
  ) {
    super();
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  protected schedule(fire: () => void, realMs: number): () => void {
    const entry = { at: this.current + realMs, seq: this.seq++, fire, cancelled: false };
    this.queue.push(entry);
    return () => {
      entry.cancelled = true;
    };
  }

  /** Moves time forward by `realMs`, firing due timers in order; awaits microtasks between them. */
  async advance(realMs: number): Promise<void> {
    const target = this.current + realMs;
    for (;;) {
      await flushMicrotasks();
      const due = this.queue
        .filter((e) => !e.cancelled && e.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.queue.splice(this.queue.indexOf(due), 1);
      this.current = Math.max(this.current, due.at);
      due.fire();
    }
    this.current = target;
    await flushMicrotasks();
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
