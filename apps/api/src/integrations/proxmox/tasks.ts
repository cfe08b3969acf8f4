import { setTimeout as sleep } from 'node:timers/promises';
import type { ProxmoxClient } from './client.js';
import { ProxmoxError } from './errors.js';

export interface TaskProgress {
  status: 'running' | 'stopped';
  /** The newest percentage a log line reported ("… (42.00%)"), if any. */
  percent?: number;
  /** Lines added since the previous callback. */
  lines: string[];
}

export interface TaskResult {
  upid: string;
  ok: boolean;
  /** "OK", "WARNINGS: n", or Proxmox's error text. */
  exitstatus: string;
  log: string[];
}

/** Node of a UPID: `UPID:<node>:<pid>:<pstart>:<starttime>:<type>:<id>:<user>:`. */
export function nodeOfUpid(upid: string): string {
  const m = /^UPID:([^:]+):/.exec(upid);
  if (!m) throw new ProxmoxError('VALIDATION', `not a UPID: ${upid}`);
  return m[1]!;
}

/**
 * Follows a task until it stops or the deadline passes, reporting new log
 * lines and percentages as they come. A task that fails resolves with ok:
 * false and its message; only the deadline and transport errors reject.
 *
 * The status is read every `pollMs`, the log only every `logEveryMs` (and
 * once at the end): with many operations at once, reading both each poll
 * doubled the requests for progress nobody sees at that rate.
 */
export async function waitForTask(
  client: ProxmoxClient,
  upid: string,
  opts: {
    deadlineMs: number;
    pollMs?: number;
    /** How often to read the log (for progress) while the task runs; default 1 s. */
    logEveryMs?: number;
    onProgress?: (p: TaskProgress) => void | Promise<void>;
    signal?: AbortSignal;
  },
): Promise<TaskResult> {
  const node = nodeOfUpid(upid);
  const until = Date.now() + opts.deadlineMs;
  const pollMs = opts.pollMs ?? 1_000;
  const logEveryMs = opts.logEveryMs ?? 1_000;
  const log: string[] = [];
  let percent: number | undefined;
  let logReadAt = Date.now();
  for (;;) {
    opts.signal?.throwIfAborted();
    const status = await client.taskStatus(node, upid);
    let lines: string[] = [];
    if (status.status === 'stopped' || Date.now() - logReadAt >= logEveryMs) {
      logReadAt = Date.now();
      lines = (await client.taskLog(node, upid, log.length)).map((l) => l.t).filter((t) => t !== 'no content');
    }
    log.push(...lines);
    for (const l of lines) {
      const m = /\((\d+(?:\.\d+)?)%\)/.exec(l);
      if (m) percent = Number(m[1]);
    }
    if (lines.length || status.status === 'stopped')
      await opts.onProgress?.({ status: status.status, lines, ...(percent !== undefined ? { percent } : {}) });
    if (status.status === 'stopped') {
      const exitstatus = status.exitstatus ?? 'unknown';
      return { upid, ok: exitstatus === 'OK' || exitstatus.startsWith('WARNINGS'), exitstatus, log };
    }
    if (Date.now() >= until)
      throw new ProxmoxError('TIMEOUT', `task ${upid} still running after ${Math.round(opts.deadlineMs / 1000)} s`);
    await sleep(Math.min(pollMs, Math.max(0, until - Date.now())));
  }
}
