/**
 * The per-VM file lock (`lock_config`, flock on /var/lock/qemu-server/lock-<vmid>.conf). It is not
 * the `lock:` config entry: it only serialises operations, and a waiter gives up after its timeout
 * (10 s by default) with Proxmox's message. Clones of a stopped VM take it shared, so many clones
 * of one template run side by side (Qemu.pm clone_vm: lock_config_shared).
 */
import type { Clock, TimerHandle } from '../clock.js';
import { fail } from '../http/errors.js';

interface Waiter {
  shared: boolean;
  grant: () => void;
}

interface LockState {
  exclusive: boolean;
  shared: number;
  queue: Waiter[];
}

export type Release = () => void;

export class VmLocks {
  private readonly locks = new Map<number, LockState>();

  constructor(private readonly clock: Clock) {}

  acquire(vmid: number, opts: { shared?: boolean; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Release> {
    const shared = opts.shared ?? false;
    const state = this.state(vmid);
    return new Promise<Release>((resolve, reject) => {
      // Set below, once the waiter is queued; the callbacks only run after that.
      const wait: { timer?: TimerHandle } = {};
      let done = false;
      const release = this.releaser(vmid, shared);
      const waiter: Waiter = {
        shared,
        grant: () => {
          done = true;
          this.clock.clearTimer(wait.timer);
          opts.signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const giveUp = (err: unknown) => {
        if (done) return;
        done = true;
        const i = state.queue.indexOf(waiter);
        if (i >= 0) state.queue.splice(i, 1);
        this.clock.clearTimer(wait.timer);
        reject(err);
        this.pump(vmid);
      };
      const onAbort = () => giveUp(opts.signal?.reason);
      if (opts.signal?.aborted) return reject(opts.signal.reason);
      state.queue.push(waiter);
      wait.timer = this.clock.setTimer(
        () => giveUp(fail(`can't lock file '/var/lock/qemu-server/lock-${vmid}.conf' - got timeout`)),
        opts.timeoutMs ?? 10_000,
      );
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.pump(vmid);
    });
  }

  isLocked(vmid: number): boolean {
    const s = this.locks.get(vmid);
    return !!s && (s.exclusive || s.shared > 0);
  }

  private state(vmid: number): LockState {
    let s = this.locks.get(vmid);
    if (!s) {
      s = { exclusive: false, shared: 0, queue: [] };
      this.locks.set(vmid, s);
    }
    return s;
  }

  private releaser(vmid: number, shared: boolean): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const s = this.state(vmid);
      if (shared) s.shared--;
      else s.exclusive = false;
      this.pump(vmid);
    };
  }

  private pump(vmid: number): void {
    const s = this.state(vmid);
    while (s.queue.length > 0) {
      const next = s.queue[0] as Waiter;
      if (s.exclusive) break;
      if (next.shared) {
        s.shared++;
      } else {
        if (s.shared > 0) break;
        s.exclusive = true;
      }
      s.queue.shift();
      next.grant();
    }
    if (!s.exclusive && s.shared === 0 && s.queue.length === 0) this.locks.delete(vmid);
  }
}
