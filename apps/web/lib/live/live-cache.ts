import type { LiveVmEvent, Vm, VmPage } from '@uni-manager/contracts';
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { queryKeys } from '@/lib/api/query-keys';
import type { LiveMessage } from './live-client';

/**
 * After a billing cycle every connected user hears `balance` at once: each tab
 * waits a random moment up to this long, so thousands of them do not refetch
 * in the same instant.
 */
const BALANCE_SPREAD_MS = 3_000;
/**
 * Refetches asked for by a burst of events (a bulk action moves many VMs
 * through their steps) are gathered for this long and sent once.
 */
const BATCH_MS = 250;

const vmLists: QueryKey[] = [
  [...queryKeys.vms, 'list'],
  [...queryKeys.vms, 'admin'],
];

function isFinished(op: LiveVmEvent['operation']): boolean {
  return op?.status === 'succeeded' || op?.status === 'failed';
}

/** The VM as the event describes it, as far as our copy's shape allows; the refetch that follows fills in the rest. */
export function patchVm(vm: Vm, event: LiveVmEvent, now: string): Vm {
  const next: Vm = { ...vm, status: event.status, powerState: event.powerState };
  const op = event.operation;
  const active = vm.activeOperation;
  // An operation we have not fetched yet lacks its actor, parameters and times: the refetch brings it.
  if (!op || !active || active.id !== op.id) return next;
  const updated = { ...active, status: op.status, step: op.step ?? active.step, progress: op.progress };
  if (isFinished(op)) return { ...next, activeOperation: null, lastOperation: { ...updated, finishedAt: now } };
  return { ...next, activeOperation: updated };
}

/**
 * Applies the live stream to TanStack Query's cache: patches what an event
 * describes in full, and invalidates the rest so that what is on screen is
 * refetched (only active queries refetch; the others are marked stale).
 */
export function createLiveCacheSync(client: QueryClient) {
  let balanceTimer: ReturnType<typeof setTimeout> | undefined;
  let batchTimer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Map<string, { queryKey: QueryKey; exact: boolean }>();
  /** Each VM's last operation step seen: a repeat only moved the percentage, which the patch already shows. */
  const lastStep = new Map<string, string>();

  function flush() {
    clearTimeout(batchTimer);
    batchTimer = undefined;
    const batch = [...pending.values()];
    pending.clear();
    for (const filters of batch) void client.invalidateQueries(filters);
  }

  function invalidate(queryKey: QueryKey, { exact = false, now = false } = {}) {
    pending.set(JSON.stringify([queryKey, exact]), { queryKey, exact });
    if (now) flush();
    else batchTimer ??= setTimeout(flush, BATCH_MS);
  }

  function onVm(event: LiveVmEvent) {
    const op = event.operation;
    const finished = isFinished(op);
    const step = op ? `${op.id}:${op.status}:${op.step}` : null;
    const progressOnly = step !== null && lastStep.get(event.vmId) === step;
    if (step && !finished) lastStep.set(event.vmId, step);
    else lastStep.delete(event.vmId);

    const now = new Date().toISOString();
    const patch = (vm: Vm) => (vm.id === event.vmId ? patchVm(vm, event, now) : vm);
    client.setQueryData<Vm>(queryKeys.vm(event.vmId), (vm) => vm && patch(vm));
    for (const queryKey of vmLists) {
      client.setQueriesData<VmPage>({ queryKey }, (page) =>
        page?.items.some((vm) => vm.id === event.vmId) ? { ...page, items: page.items.map(patch) } : page,
      );
    }
    if (progressOnly) return;

    if (finished || !op) {
      // The outcome changes more than this VM's page: lists and their counts, what it costs, the balance.
      invalidate(queryKeys.vms, { now: true });
      invalidate(queryKeys.adminOverview, { now: true });
      if (finished) invalidate(queryKeys.credits, { now: true });
      return;
    }
    invalidate(queryKeys.vm(event.vmId), { exact: true });
    invalidate([...queryKeys.vm(event.vmId), 'operations']);
    invalidate([...queryKeys.vm(event.vmId), 'billing']);
    // A list shows the operation's kind and step, which a patch cannot add to a VM fetched before it began.
    for (const queryKey of vmLists) invalidate(queryKey);
  }

  function onBalance() {
    balanceTimer ??= setTimeout(() => {
      balanceTimer = undefined;
      for (const queryKey of [queryKeys.credits, queryKeys.notifications, queryKeys.adminOverview])
        void client.invalidateQueries({ queryKey });
      // What each VM cost this month and since creation.
      void client.invalidateQueries({
        predicate: ({ queryKey: key }) => key[0] === 'vms' && key[1] === 'detail' && key[3] === 'billing',
      });
      // An administrator looking at a user's balance or ledger, or at the platform's billing.
      void client.invalidateQueries({ queryKey: [...queryKeys.admin, 'user'] });
      void client.invalidateQueries({ queryKey: queryKeys.adminBilling });
    }, Math.random() * BALANCE_SPREAD_MS);
  }

  return {
    apply(message: LiveMessage) {
      switch (message.type) {
        case 'hello':
          // Anything fetched before this stream's request may have missed events: refetch it (what is on screen).
          lastStep.clear();
          void client.invalidateQueries({ predicate: (q) => q.state.dataUpdatedAt < message.since });
          return;
        case 'resync':
          lastStep.clear();
          void client.invalidateQueries();
          return;
        case 'vm':
          return onVm(message);
        case 'balance':
          return onBalance();
        case 'server':
          void client.invalidateQueries({ queryKey: queryKeys.adminServers });
          void client.invalidateQueries({ queryKey: queryKeys.adminServer(message.serverId) });
          void client.invalidateQueries({ queryKey: queryKeys.adminOverview });
          return;
      }
    },
    dispose() {
      clearTimeout(balanceTimer);
      clearTimeout(batchTimer);
      pending.clear();
    },
  };
}
