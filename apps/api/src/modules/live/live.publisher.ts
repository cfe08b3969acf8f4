import type { LiveEvent, LiveVmEvent } from '@uni-manager/contracts';
import type { EventBus, LiveAudience } from '../../lib/bus/bus.js';
import type { Logger } from '../../lib/logger.js';

export interface VmLike {
  id: string;
  ownerId: string;
  status: LiveVmEvent['status'];
  powerState: LiveVmEvent['powerState'];
}
export interface OperationLike {
  id: string;
  kind: NonNullable<LiveVmEvent['operation']>['kind'];
  status: NonNullable<LiveVmEvent['operation']>['status'];
  step: NonNullable<LiveVmEvent['operation']>['step'] | null;
  progress: number | null;
}

/**
 * Where services say that something a user is looking at changed, after the
 * change has committed. Publishing never fails the caller: a live event that
 * is lost costs a refresh, and the web polls while its stream is down.
 */
export function createLivePublisher(deps: { bus: EventBus; logger: Logger }) {
  function send(audience: LiveAudience, event: LiveEvent) {
    deps.bus.publish({ type: 'live', audience, event }).catch((err: unknown) => {
      deps.logger.warn({ err, type: event.type }, 'live event not published');
    });
  }
  return {
    /** A VM's state or its operation's progress: its owner, and administrators. */
    vm(vm: VmLike, op: OperationLike | null = null) {
      send(
        { userIds: [vm.ownerId], admins: true },
        {
          type: 'vm',
          vmId: vm.id,
          status: vm.status,
          powerState: vm.powerState,
          operation: op ? { id: op.id, kind: op.kind, status: op.status, step: op.step, progress: op.progress } : null,
        },
      );
    },
    /** These users' balance, transactions or notifications changed. */
    balance(userIds: string[]) {
      if (userIds.length) send({ userIds }, { type: 'balance' });
    },
    /** A billing cycle touched many accounts: every connected user re-reads their own. */
    balanceOfEveryone() {
      send({ everyone: true }, { type: 'balance' });
    },
    server(serverId: string, health: Extract<LiveEvent, { type: 'server' }>['health']) {
      send({ admins: true }, { type: 'server', serverId, health });
    },
  };
}
export type LivePublisher = ReturnType<typeof createLivePublisher>;
