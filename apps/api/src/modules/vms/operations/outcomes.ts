import type { ErrorCode } from '@uni-manager/contracts';
import { isRetryableConflict } from '../../../lib/db-errors.js';
import { ProxmoxError } from '../../../integrations/proxmox/errors.js';
import { isAppError } from '../../../lib/errors.js';

/** Another worker holds the operation now: stop touching it, write nothing. */
export class LeaseLost extends Error {
  constructor(id: string) {
    super(`lease on operation ${id} lost`);
    this.name = 'LeaseLost';
  }
}

/** This worker is stopping (or was killed in a test): leave the operation for the sweeper. */
export class WorkerStopping extends Error {
  constructor() {
    super('worker stopping');
    this.name = 'WorkerStopping';
  }
}

/** A Proxmox task that ended with an error: its exit status is the message users see. */
export class TaskFailed extends Error {
  constructor(
    public readonly upid: string,
    public readonly exitstatus: string,
  ) {
    super(exitstatus);
    this.name = 'TaskFailed';
  }
}

/** A failure the handler already classified, with the code the user sees. */
export class OperationFailure extends Error {
  constructor(
    public readonly code: ErrorCode | 'TASK_FAILED' | 'PROXMOX_ERROR',
    message: string,
    public readonly transient = false,
  ) {
    super(message);
    this.name = 'OperationFailure';
  }
}

export interface Classified {
  transient: boolean;
  code: string;
  message: string;
}

const LOCK_IN_TASK = /is locked \(|can't lock file/;
/** A task whose worker died (node or daemon restart): it was interrupted, not refused. */
const INTERRUPTED = /^unexpected status/;

/**
 * Decides whether a failure is worth another attempt. Unreachable, slow or
 * erroring servers and locks are transient; what Proxmox refused on its merits
 * (validation, permission, a failed task) is not.
 */
export function classifyFailure(e: unknown): Classified {
  if (e instanceof OperationFailure) return { transient: e.transient, code: e.code, message: e.message };
  if (e instanceof TaskFailed) {
    const locked = LOCK_IN_TASK.test(e.exitstatus);
    return {
      transient: locked || INTERRUPTED.test(e.exitstatus),
      code: locked ? 'VM_LOCKED' : 'TASK_FAILED',
      message: e.exitstatus.trim(),
    };
  }
  if (e instanceof ProxmoxError) {
    const message = e.message.trim();
    switch (e.kind) {
      case 'UNAVAILABLE':
      case 'TIMEOUT':
      case 'SERVER':
        return { transient: true, code: 'PROXMOX_UNAVAILABLE', message };
      case 'LOCKED':
        return { transient: true, code: 'VM_LOCKED', message };
      case 'AUTHENTICATION':
      case 'PERMISSION':
      case 'TLS':
        return { transient: false, code: 'PROXMOX_CONNECTION_FAILED', message };
      default:
        return { transient: false, code: 'PROXMOX_ERROR', message };
    }
  }
  if (isAppError(e)) return { transient: false, code: e.code, message: e.message };
  // The database gave up on a transaction that crossed another (a billing cycle, say): try again.
  if (isRetryableConflict(e)) return { transient: true, code: 'INTERNAL', message: 'The database was busy; retrying' };
  return { transient: false, code: 'INTERNAL', message: 'An internal error stopped this operation' };
}
