import type { LiveVmEvent, Vm, VmOperation, VmPage } from '@uni-manager/contracts';
import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { queryKeys } from '@/lib/api/query-keys';
import { createLiveCacheSync } from './live-cache';

const VM_ID = '00000000-0000-4000-8000-000000000001';
const OP_ID = '00000000-0000-4000-8000-000000000002';

const op: VmOperation = {
  id: OP_ID,
  vmId: VM_ID,
  kind: 'stop',
  status: 'running',
  step: 'stopping',
  progress: 10,
  params: {},
  error: null,
  actor: null,
  attempts: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  startedAt: '2026-01-01T00:00:01.000Z',
  finishedAt: null,
};

// Only the fields the cache sync reads or writes matter here.
const vm = {
  id: VM_ID,
  name: 'web-1',
  status: 'active',
  powerState: 'running',
  activeOperation: op,
  lastOperation: null,
} as Vm;
const other = { ...vm, id: '00000000-0000-4000-8000-000000000003', name: 'db-1', activeOperation: null } as Vm;

function event(patch: Partial<LiveVmEvent> & { operation: LiveVmEvent['operation'] }): LiveVmEvent {
  return { type: 'vm', vmId: VM_ID, status: 'active', powerState: 'running', ...patch };
}

const listKey = queryKeys.vmList({ page: 1, pageSize: 20, sort: 'createdAt', order: 'desc' });

describe('createLiveCacheSync', () => {
  let client: QueryClient;
  let sync: ReturnType<typeof createLiveCacheSync>;
  const invalidated = (key: readonly unknown[]) => client.getQueryState(key)?.isInvalidated ?? false;

  beforeEach(() => {
    vi.useFakeTimers();
    client = new QueryClient();
    sync = createLiveCacheSync(client);
    client.setQueryData(queryKeys.vm(VM_ID), vm);
    client.setQueryData<VmPage>(listKey, { items: [vm, other], total: 2, page: 1, pageSize: 20 });
    client.setQueryData(queryKeys.vmOperations(VM_ID, 1), { items: [op] });
    client.setQueryData(queryKeys.myBalance, { amount: 1 });
    client.setQueryData(queryKeys.unreadNotifications, 0);
  });
  afterEach(() => {
    sync.dispose();
    vi.useRealTimers();
  });

  it('shows an operation’s progress at once, and refetches only when its step changes', () => {
    sync.apply(event({ operation: { id: OP_ID, kind: 'stop', status: 'running', step: 'stopping', progress: 40 } }));
    expect(client.getQueryData<Vm>(queryKeys.vm(VM_ID))?.activeOperation?.progress).toBe(40);
    expect(client.getQueryData<VmPage>(listKey)?.items[0]?.activeOperation?.progress).toBe(40);
    expect(client.getQueryData<VmPage>(listKey)?.items[1]).toBe(other);
    vi.advanceTimersByTime(300);
    expect(invalidated(queryKeys.vm(VM_ID))).toBe(true);
    expect(invalidated(queryKeys.vmOperations(VM_ID, 1))).toBe(true);

    client.setQueryData(queryKeys.vm(VM_ID), client.getQueryData(queryKeys.vm(VM_ID)));
    sync.apply(event({ operation: { id: OP_ID, kind: 'stop', status: 'running', step: 'stopping', progress: 80 } }));
    vi.advanceTimersByTime(300);
    expect(client.getQueryData<Vm>(queryKeys.vm(VM_ID))?.activeOperation?.progress).toBe(80);
    expect(invalidated(queryKeys.vm(VM_ID))).toBe(false);
  });

  it('ends the operation on the page and refetches the VMs and the balance', () => {
    sync.apply(
      event({
        powerState: 'stopped',
        operation: { id: OP_ID, kind: 'stop', status: 'succeeded', step: 'done', progress: 100 },
      }),
    );
    const patched = client.getQueryData<Vm>(queryKeys.vm(VM_ID))!;
    expect(patched.powerState).toBe('stopped');
    expect(patched.activeOperation).toBeNull();
    expect(patched.lastOperation).toMatchObject({ id: OP_ID, status: 'succeeded', step: 'done' });
    expect(patched.lastOperation?.finishedAt).not.toBeNull();
    expect(client.getQueryData<VmPage>(listKey)?.items[0]?.powerState).toBe('stopped');
    // At once, not batched: the outcome is what the user waits for.
    expect(invalidated(listKey)).toBe(true);
    expect(invalidated(queryKeys.myBalance)).toBe(true);
  });

  it('spreads the refetch after a balance event over up to three seconds, once per burst', () => {
    const spy = vi.spyOn(client, 'invalidateQueries');
    sync.apply({ type: 'balance' });
    sync.apply({ type: 'balance' });
    expect(invalidated(queryKeys.myBalance)).toBe(false);
    vi.advanceTimersByTime(3_000);
    expect(invalidated(queryKeys.myBalance)).toBe(true);
    expect(invalidated(queryKeys.unreadNotifications)).toBe(true);
    const credits = spy.mock.calls.filter(([f]) => JSON.stringify(f?.queryKey) === JSON.stringify(queryKeys.credits));
    expect(credits).toHaveLength(1);
  });

  it('on hello, refetches what was fetched before the stream’s request, not after', () => {
    vi.setSystemTime(10_000);
    client.setQueryData(queryKeys.myBalance, { amount: 2 });
    sync.apply({ type: 'hello', since: 5_000 });
    expect(invalidated(queryKeys.myBalance)).toBe(false);
    sync.apply({ type: 'hello', since: 20_000 });
    expect(invalidated(queryKeys.myBalance)).toBe(true);
  });
});
