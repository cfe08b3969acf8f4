/** What every endpoint handler gets: the cluster and the services around it. */
import type { IdentityStore } from '../auth/identities.js';
import type { TicketSigner } from '../auth/tickets.js';
import type { Clock } from '../clock.js';
import type { Faults } from '../faults/faults.js';
import type { RouteDef } from '../http/router.js';
import type { ClusterModel } from '../model/cluster.js';
import type { Logger, TaskDurations } from '../options.js';
import type { Random } from '../random.js';
import type { TaskManager } from '../tasks/task-manager.js';
import type { VmLocks } from '../tasks/vm-locks.js';
import type { UsageModel } from '../usage/usage.js';
import type { ConsoleSessions } from '../vnc/sessions.js';

export interface SimContext {
  model: ClusterModel;
  tasks: TaskManager;
  locks: VmLocks;
  clock: Clock;
  random: Random;
  faults: Faults;
  identities: IdentityStore;
  tickets: TicketSigner;
  usage: UsageModel;
  consoles: ConsoleSessions;
  durations: TaskDurations;
  tls: { caPem: string; fingerprint: string };
  log: Logger;
}

export type Route = RouteDef<SimContext>;
