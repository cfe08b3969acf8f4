import { describe, expect, it } from 'vitest';
import { ProxmoxError } from '../../../integrations/proxmox/errors.js';
import { AppError } from '../../../lib/errors.js';
import { OperationFailure, TaskFailed, classifyFailure } from './outcomes.js';

describe('classifyFailure', () => {
  it('retries what may pass: unreachable, slow, 5xx, locks, interrupted tasks', () => {
    expect(classifyFailure(new ProxmoxError('UNAVAILABLE', 'No route to host'))).toMatchObject({ transient: true });
    expect(classifyFailure(new ProxmoxError('TIMEOUT', 'no answer'))).toMatchObject({ transient: true });
    expect(classifyFailure(new ProxmoxError('SERVER', 'got timeout'))).toMatchObject({ transient: true });
    expect(classifyFailure(new ProxmoxError('LOCKED', 'VM is locked (backup)'))).toMatchObject({
      transient: true,
      code: 'VM_LOCKED',
    });
    expect(
      classifyFailure(new TaskFailed('UPID:x', "can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout")),
    ).toMatchObject({
      transient: true,
      code: 'VM_LOCKED',
    });
    expect(classifyFailure(new TaskFailed('UPID:x', 'unexpected status'))).toMatchObject({ transient: true });
  });

  it("fails at once on what Proxmox refused on its merits, with Proxmox's words", () => {
    expect(classifyFailure(new TaskFailed('UPID:x', 'clone failed: disk full\n'))).toEqual({
      transient: false,
      code: 'TASK_FAILED',
      message: 'clone failed: disk full',
    });
    expect(
      classifyFailure(new ProxmoxError('PERMISSION', 'Permission check failed (/vms/100, VM.PowerMgmt)')),
    ).toMatchObject({
      transient: false,
      code: 'PROXMOX_CONNECTION_FAILED',
    });
    expect(classifyFailure(new ProxmoxError('VALIDATION', 'Parameter verification failed.'))).toMatchObject({
      transient: false,
    });
    expect(classifyFailure(new OperationFailure('NO_CAPACITY', 'full'))).toEqual({
      transient: false,
      code: 'NO_CAPACITY',
      message: 'full',
    });
    expect(classifyFailure(new AppError('NOT_FOUND', 'gone'))).toMatchObject({ transient: false, code: 'NOT_FOUND' });
  });

  it('never shows an unexpected error to the user', () => {
    expect(classifyFailure(new TypeError('x is undefined'))).toEqual({
      transient: false,
      code: 'INTERNAL',
      message: 'An internal error stopped this operation',
    });
  });
});
