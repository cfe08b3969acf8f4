import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { and, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { PowerState, VmStatus } from '@uni-manager/contracts';
import type { Db, Executor, Tx } from '../../../db/client.js';
import { vmOperations, vms, vmStateHistory, type VmOperationRow, type VmRow } from '../../../db/schema/index.js';
import type { ProxmoxClient } from '../../../integrations/proxmox/client.js';
import { nodeOfUpid, waitForTask, type TaskResult } from '../../../integrations/proxmox/tasks.js';
import type { OperationQueue } from '../../../jobs/operation-queue.js';
import type { Clock } from '../../../lib/clock.js';
import type { SecretBox } from '../../../lib/crypto/secret-box.js';
import type { Logger } from '../../../lib/logger.js';
import { appendAudit } from '../../audit/audit.repo.js';
import { enterRateChange } from '../../billing/billing.meter.js';
import type { LivePublisher } from '../../live/live.publisher.js';
import type { ServersService } from '../../servers/servers.service.js';
import { handlers } from './handlers.js';
import { LeaseLost, TaskFailed, WorkerStopping, classifyFailure, type Classified } from './outcomes.js';

export interface EngineSettings {
  leaseMs: number;
  maxAttempts: number;
  taskTimeoutMs: number;
  shutdownTimeoutSeconds: number;
  concurrency: number;
  /** How often a Proxmox task is polled. */
  pollMs: number;
  /** First retry delay; doubles per attempt up to a minute. */
  retryBaseMs: number;
}

export interface OperationEngineDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  servers: ServersService;
  secrets: SecretBox;
  queue: OperationQueue;
  settings: EngineSettings;
  workerId?: string;
  /** Told of every step and outcome, after it is written, for the owner's open pages. */
  live?: Pick<LivePublisher, 'vm'>;
}

export type VmPatch = Partial<Omit<VmRow, 'id' | 'ownerId' | 'createdAt'>>;

/** What a handler reports: the VM as it now is, or a failure it already cleaned up after. */
export type HandlerResult = { vm?: VmPatch; failed?: Classified };

export interface OperationContext {
  readonly op: VmOperationRow;
  readonly vm: VmRow;
  readonly signal: AbortSignal;
  readonly log: Logger;
  readonly settings: EngineSettings;
  readonly db: Db;
  readonly secrets: SecretBox;
  step(step: VmOperationRow['step'], progress?: number | null): Promise<void>;
  saveState(patch: Record<string, unknown>): Promise<void>;
  /** Writes to the VM row while the operation runs (placement, VMID), under this worker's lease. */
  setVm(patch: VmPatch, tx?: Tx): Promise<void>;
  client(serverId: string): Promise<ProxmoxClient>;
  /** Runs a Proxmox task, or follows the one a previous worker started, to its end. */
  task(client: ProxmoxClient, step: VmOperationRow['step'], issue: () => Promise<string>): Promise<TaskResult>;
}

/** Records a status or power change with when it happened; billing reads this history. */
export async function applyVmPatch(
  tx: Executor,
  vmId: string,
  patch: VmPatch,
  now: Date,
  source: 'operation' | 'reconcile' | 'admin',
): Promise<VmRow> {
  await enterRateChange(tx);
  const [before] = await tx.select().from(vms).where(eq(vms.id, vmId)).for('update');
  if (!before) throw new Error(`vm ${vmId} vanished`);
  const [after] = await tx
    .update(vms)
    .set({ ...patch, ...(patch.status === 'deleted' && !before.deletedAt ? { deletedAt: now } : {}), updatedAt: now })
    .where(eq(vms.id, vmId))
    .returning();
  if (after!.status !== before.status || after!.powerState !== before.powerState) {
    await tx
      .insert(vmStateHistory)
      .values({ vmId, at: now, status: after!.status, powerState: after!.powerState, source });
  }
  return after!;
}

export function createOperationEngine(deps: OperationEngineDeps) {
  const { db, clock, settings } = deps;
  const workerId = deps.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const inflight = new Map<string, { ac: AbortController; done: Promise<void> }>();
  let accepting = true;
  let consuming = false;

  const mine = (id: string) =>
    and(eq(vmOperations.id, id), eq(vmOperations.leaseOwner, workerId), eq(vmOperations.status, 'running'));

  async function claim(id: string): Promise<VmOperationRow | null> {
    const now = clock.now();
    const [row] = await db
      .update(vmOperations)
      .set({
        status: 'running',
        leaseOwner: workerId,
        leaseUntil: new Date(now.getTime() + settings.leaseMs),
        startedAt: sql`coalesce(${vmOperations.startedAt}, ${now.toISOString()}::timestamptz)`,
        attempts: sql`${vmOperations.attempts} + 1`,
        nextAttemptAt: null,
        updatedAt: now,
      })
      .where(
        and(
          eq(vmOperations.id, id),
          or(
            and(
              eq(vmOperations.status, 'queued'),
              or(isNull(vmOperations.nextAttemptAt), lte(vmOperations.nextAttemptAt, now)),
            ),
            and(eq(vmOperations.status, 'running'), lt(vmOperations.leaseUntil, now)),
          ),
        ),
      )
      .returning();
    return row ?? null;
  }

  async function renewLease(id: string): Promise<boolean> {
    const now = clock.now();
    const rows = await db
      .update(vmOperations)
      .set({ leaseUntil: new Date(now.getTime() + settings.leaseMs) })
      .where(mine(id))
      .returning({ id: vmOperations.id });
    return rows.length === 1;
  }

  function contextFor(first: VmOperationRow, vm: VmRow, signal: AbortSignal, log: Logger) {
    let op = first;
    let current = vm;
    const clients = new Map<string, Promise<ProxmoxClient>>();

    async function update(patch: Partial<VmOperationRow>) {
      if (signal.aborted) throw signal.reason;
      const [row] = await db
        .update(vmOperations)
        .set({ ...patch, updatedAt: clock.now() })
        .where(mine(op.id))
        .returning();
      if (!row) throw new LeaseLost(op.id);
      op = row;
      deps.live?.vm(current, op);
    }

    const ctx: OperationContext & { close(): Promise<void> } = {
      get op() {
        return op;
      },
      get vm() {
        return current;
      },
      signal,
      log,
      settings,
      db,
      secrets: deps.secrets,
      step: (step, progress = null) => update({ step, progress }),
      saveState: (patch) => update({ state: { ...op.state, ...patch } }),
      async setVm(patch, outer) {
        if (signal.aborted) throw signal.reason;
        const write = async (tx: Tx) => {
          await enterRateChange(tx);
          const [held] = await tx.select({ id: vmOperations.id }).from(vmOperations).where(mine(op.id)).for('update');
          if (!held) throw new LeaseLost(op.id);
          return applyVmPatch(tx, current.id, patch, clock.now(), 'operation');
        };
        current = outer ? await write(outer) : await db.transaction(write);
        // Inside a caller's transaction the change is not committed yet: the caller's next step announces it.
        if (!outer) deps.live?.vm(current, op);
      },
      client(serverId) {
        let c = clients.get(serverId);
        if (!c) {
          c = deps.servers.clientFor(serverId, { readAttempts: 2 }).then((r) => r.client);
          // A failed lookup is not cached: the next attempt asks again.
          c.catch(() => clients.delete(serverId));
          clients.set(serverId, c);
        }
        return c;
      },
      async task(client, step, issue) {
        const upid = op.upid ?? (await issue());
        if (op.upid !== upid) await update({ upid, taskNode: nodeOfUpid(upid), step, progress: null });
        else await update({ step });
        let written = -1;
        const result = await waitForTask(client, upid, {
          deadlineMs: settings.taskTimeoutMs,
          pollMs: settings.pollMs,
          signal,
          onProgress: async (p) => {
            if (p.percent === undefined) return;
            const pct = Math.min(99, Math.floor(p.percent));
            if (pct >= written + 5) {
              written = pct;
              await update({ progress: pct });
            }
          },
        });
        await update({ upid: null, taskNode: null, progress: null });
        if (!result.ok) throw new TaskFailed(upid, result.exitstatus);
        return result;
      },
      async close() {
        for (const c of clients.values()) await c.then((x) => x.close()).catch(() => {});
      },
    };
    return ctx;
  }

  async function finish(
    op: VmOperationRow,
    outcome: { vm?: VmPatch; failed?: Classified },
    log: Logger,
  ): Promise<void> {
    const now = clock.now();
    // Secrets the operation carried (a cloud-init password) go once it is over.
    const { passwordSealed: _dropped, ...state } = op.state as Record<string, unknown>;
    const ended = await db.transaction(async (tx) => {
      await enterRateChange(tx);
      const [row] = await tx
        .update(vmOperations)
        .set({
          status: outcome.failed ? 'failed' : 'succeeded',
          step: outcome.failed ? op.step : 'done',
          progress: outcome.failed ? op.progress : null,
          state,
          upid: null,
          taskNode: null,
          leaseOwner: null,
          leaseUntil: null,
          finishedAt: now,
          updatedAt: now,
          errorCode: outcome.failed?.code ?? null,
          errorMessage: outcome.failed?.message ?? null,
        })
        .where(mine(op.id))
        .returning();
      if (!row) throw new LeaseLost(op.id);
      const vm = outcome.vm
        ? await applyVmPatch(tx, op.vmId, outcome.vm, now, 'operation')
        : (await tx.select().from(vms).where(eq(vms.id, op.vmId)))[0]!;
      if (outcome.failed) {
        await appendAudit(
          tx,
          {
            action: 'vm.operation_failed',
            targetType: 'vm',
            targetId: op.vmId,
            details: {
              operationId: op.id,
              kind: op.kind,
              name: vm.name,
              code: outcome.failed.code,
              message: outcome.failed.message,
            },
          },
          now,
        );
      } else if (op.kind === 'delete') {
        await appendAudit(
          tx,
          {
            action: 'vm.deleted',
            targetType: 'vm',
            targetId: op.vmId,
            details: { operationId: op.id, name: vm.name, ownerId: vm.ownerId },
          },
          now,
        );
      }
      return { row, vm };
    });
    deps.live?.vm(ended.vm, ended.row);
    if (outcome.failed) log.warn({ code: outcome.failed.code, reason: outcome.failed.message }, 'operation failed');
    else log.info('operation succeeded');
  }

  function backoffMs(attempts: number): number {
    const base = Math.min(60_000, settings.retryBaseMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }

  async function retryLater(op: VmOperationRow, c: Classified, log: Logger): Promise<void> {
    const delay = backoffMs(op.attempts);
    const now = clock.now();
    const rows = await db
      .update(vmOperations)
      .set({
        status: 'queued',
        leaseOwner: null,
        leaseUntil: null,
        nextAttemptAt: new Date(now.getTime() + delay),
        errorCode: c.code,
        errorMessage: c.message,
        updatedAt: now,
      })
      .where(mine(op.id))
      .returning();
    if (!rows.length) return;
    const [vm] = await db.select().from(vms).where(eq(vms.id, op.vmId));
    if (vm) deps.live?.vm(vm, rows[0]!);
    log.info({ attempt: op.attempts, retryInMs: delay, reason: c.message }, 'transient failure, will retry');
    await deps.queue.enqueue(op.id, { key: `retry-${op.attempts}`, delayMs: delay }).catch((e) => {
      log.warn({ err: e }, 'could not enqueue the retry; the sweeper will pick it up');
    });
  }

  async function execute(ctx: OperationContext & { close(): Promise<void> }, log: Logger): Promise<void> {
    const handler = handlers[ctx.op.kind];
    try {
      const result = await handler(ctx);
      await finish(ctx.op, result, log);
    } catch (e) {
      if (ctx.signal.aborted || e instanceof LeaseLost || e instanceof WorkerStopping) throw e;
      const c = classifyFailure(e);
      if (c.code === 'INTERNAL') log.error({ err: e }, 'operation failed unexpectedly');
      if (c.transient && ctx.op.attempts < settings.maxAttempts) return retryLater(ctx.op, c, log);
      // A create that got as far as Proxmox undoes what it made before it fails.
      if (ctx.op.kind === 'create' && ctx.op.state.phase !== 'cleanup') {
        await ctx.saveState({ phase: 'cleanup', failure: c });
        return execute(ctx, log);
      }
      const failure = ctx.op.kind === 'create' ? ((ctx.op.state.failure as Classified | undefined) ?? c) : c;
      if (ctx.op.kind === 'create') {
        log.error(
          { serverId: ctx.vm.serverId, vmid: ctx.vm.vmid, reason: c.message },
          'could not remove the partly created VM from Proxmox; an administrator must remove it',
        );
      }
      await finish(
        ctx.op,
        {
          failed: failure,
          ...(ctx.op.kind === 'create'
            ? {
                vm: {
                  status: 'failed' as VmStatus,
                  failureMessage: failure.message,
                  powerState: 'unknown' as PowerState,
                },
              }
            : {}),
        },
        log,
      );
    }
  }

  async function processOperation(id: string): Promise<void> {
    if (!accepting || inflight.has(id)) return;
    const op = await claim(id);
    if (!op) return;
    const ac = new AbortController();
    const log = deps.logger.child({ operationId: id, vmId: op.vmId, kind: op.kind, attempt: op.attempts });
    let release!: () => void;
    inflight.set(id, { ac, done: new Promise<void>((r) => (release = r)) });
    const renew = setInterval(
      () =>
        void renewLease(id)
          .then((ok) => ok || ac.abort(new LeaseLost(id)))
          .catch((e) => log.warn({ err: e }, 'lease renewal failed')),
      Math.max(500, Math.floor(settings.leaseMs / 3)),
    );
    renew.unref();
    let ctx: (OperationContext & { close(): Promise<void> }) | undefined;
    try {
      const [vm] = await db.select().from(vms).where(eq(vms.id, op.vmId));
      if (!vm) throw new Error(`operation ${id} has no VM`);
      ctx = contextFor(op, vm, ac.signal, log);
      log.debug({ step: op.step, phase: op.state.phase }, 'operation claimed');
      await execute(ctx, log);
    } catch (e) {
      if (ac.signal.aborted || e instanceof LeaseLost || e instanceof WorkerStopping) {
        log.warn({ reason: String((ac.signal.reason as Error)?.message ?? e) }, 'operation left to another worker');
      } else {
        log.error({ err: e }, 'operation could not be recorded; the sweeper will retry it');
      }
    } finally {
      clearInterval(renew);
      await ctx?.close();
      inflight.delete(id);
      release();
    }
  }

  /**
   * Re-delivers what is due: queued operations whose delivery was lost or whose
   * retry time has come, and running ones whose worker stopped renewing.
   */
  async function sweep(): Promise<{ redelivered: number }> {
    const now = clock.now();
    const stale = new Date(now.getTime() - 5_000);
    const rows = await db
      .select({ id: vmOperations.id, attempts: vmOperations.attempts, status: vmOperations.status })
      .from(vmOperations)
      .where(
        or(
          and(
            eq(vmOperations.status, 'queued'),
            or(isNull(vmOperations.nextAttemptAt), lte(vmOperations.nextAttemptAt, now)),
            lt(vmOperations.updatedAt, stale),
          ),
          and(eq(vmOperations.status, 'running'), lt(vmOperations.leaseUntil, now)),
        ),
      )
      .limit(1000);
    for (const r of rows) await deps.queue.enqueue(r.id, { key: `sweep-${r.status}-${r.attempts}` });
    if (rows.length) deps.logger.info({ redelivered: rows.length }, 'sweeper re-delivered operations');
    return { redelivered: rows.length };
  }

  return {
    workerId,
    process: processOperation,
    sweep,
    enqueue: (id: string) => deps.queue.enqueue(id),
    /** Starts taking operations from the queue, after re-delivering whatever a dead worker left. */
    async start() {
      if (consuming) return;
      consuming = true;
      deps.queue.consume(processOperation, settings.concurrency);
      await sweep().catch((e) => deps.logger.error({ err: e }, 'initial sweep failed'));
    },
    /** Stops taking work; operations in flight stop at their next step and are handed over at once. */
    async stop() {
      accepting = false;
      const pending = [...inflight.values()];
      for (const f of pending) f.ac.abort(new WorkerStopping());
      await Promise.all(pending.map((f) => f.done));
      await db
        .update(vmOperations)
        .set({ leaseUntil: clock.now() })
        .where(and(eq(vmOperations.leaseOwner, workerId), eq(vmOperations.status, 'running')))
        .catch(() => {});
      await deps.queue.close();
    },
    /** Tests: dies like a killed process, leaving leases to run out. */
    async kill() {
      accepting = false;
      const pending = [...inflight.values()];
      for (const f of pending) f.ac.abort(new WorkerStopping());
      await Promise.all(pending.map((f) => f.done));
      await deps.queue.close();
    },
    inflight: () => inflight.size,
  };
}
export type OperationEngine = ReturnType<typeof createOperationEngine>;
