import { query } from '../../lib/sql.js';
import { randomUUID } from 'node:crypto';
import {
  MINOR_UNITS_PER_CREDIT,
  RATE_SCALE,
  type AdjustCreditsBody,
  type Balance,
  type BatchGrantBody,
  type BatchGrantResult,
  type BillingProfileBody,
  type BillingRun,
  type BillingSettings,
  type SpendSeries,
  type Transaction,
  type VmBilling,
} from '@uni-manager/contracts';
import { and, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { billingRuns, users, vmMeters, vmOperations, type BillingRunRow } from '../../db/schema/index.js';
import { isRetryableConflict } from '../../lib/db-errors.js';
import type { LivePublisher } from '../live/live.publisher.js';
import type { OperationQueue } from '../../jobs/operation-queue.js';
import type { Clock } from '../../lib/clock.js';
import type { Actor, RequestMeta } from '../../lib/context.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { appendAudit, type AuditEntry } from '../audit/audit.repo.js';
import { notify } from '../notifications/notifications.service.js';
import { getAccessibleVm } from '../vms/vms.access.js';
import { chargeUpTo, computeCharges, enterBilling } from './billing.meter.js';
import { derivedId, lockWallet, postTransfer, verifyLedger, walletOf, PLATFORM_ACCOUNTS } from './billing.ledger.js';
import { asUserTransaction, getTransfer } from './billing.repo.js';

export interface BillingSettingsConfig {
  unitName: string;
  initialCredits: number;
  cycleMinutes: number;
  monthlyCapHours: number;
  autoShutdown: boolean;
  minBalanceHours: number;
  lowBalanceHours: number;
  allowFutureRuns: boolean;
  paymentsEnabled: boolean;
  shutdownTimeoutSeconds: number;
}

export interface BillingServiceDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  queue: OperationQueue;
  settings: BillingSettingsConfig;
  live?: Pick<LivePublisher, 'balance' | 'balanceOfEveryone'>;
}

const SYSTEM = { actorId: null, actorEmail: 'system (billing)' } as const;
const HOUR_MS = 3_600_000;

function runOf(r: BillingRunRow): BillingRun {
  return {
    id: r.id,
    periodEnd: r.periodEnd.toISOString(),
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    durationMs: r.durationMs,
    status: r.status,
    trigger: r.trigger,
    vms: r.vms,
    transfers: r.transfers,
    amount: r.amount,
    error: r.error,
  };
}

/** Months start in UTC: the cap and "this month" mean the same calendar month for everyone. */
function monthStart(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
}

export function createBillingService(deps: BillingServiceDeps) {
  const { db, clock, settings: s } = deps;
  const log = deps.logger;

  const refusals = new WeakMap<AppError, AuditEntry>();

  const publicSettings: BillingSettings = {
    unitName: s.unitName,
    minorUnitsPerCredit: MINOR_UNITS_PER_CREDIT,
    cycleMinutes: s.cycleMinutes,
    monthlyCapHours: s.monthlyCapHours,
    minBalanceHours: s.minBalanceHours,
    lowBalanceHours: s.lowBalanceHours,
    autoShutdown: s.autoShutdown,
    paymentsEnabled: s.paymentsEnabled,
  };

  /** What each of the owner's VMs has used since its last charge, in whole minor units. */
  async function unbilledOf(tx: Executor, ownerId: string, now: Date): Promise<Map<string, number>> {
    await enterBilling(tx, false);
    await computeCharges(tx, now, s.monthlyCapHours, { ownerId });
    const rows = await query<{ vm_id: string; amount: string; exempt: boolean }>(
      tx,
      sql`select vm_id, amount::text, exempt from billing_charges`,
    );
    return new Map(rows.rows.map((r) => [r.vm_id, r.exempt ? 0 : Number(r.amount)]));
  }

  async function burnX1024(tx: Executor, ownerId: string): Promise<number> {
    const r = await query<{ rate: string | null }>(
      tx,
      sql`select sum(rate_x1024)::text as rate from vms where owner_id = ${ownerId}::uuid and rate_x1024 > 0`,
    );
    return Number(r.rows[0]?.rate ?? 0);
  }

  async function balanceIn(tx: Executor, userId: string, now: Date): Promise<Balance> {
    const [u] = await tx
      .select({ creditLimit: users.creditLimit, billingExempt: users.billingExempt })
      .from(users)
      .where(eq(users.id, userId));
    if (!u) throw AppError.notFound('User');
    const wallet = await walletOf(tx, userId);
    const unbilled = [...(await unbilledOf(tx, userId, now)).values()].reduce((a, b) => a + b, 0);
    const burn = u.billingExempt ? 0 : await burnX1024(tx, userId);
    const live = wallet.balance - unbilled;
    const spent = await query<{ amount: string | null }>(
      tx,
      sql`
      select sum(case when c.kind = 'wallet' then -t.amount else t.amount end)::text as amount
      from ledger_transfers t join ledger_accounts c on c.id = t.credit_account_id
      where t.user_id = ${userId}::uuid and t.created_at >= ${monthStart(now).toISOString()}::timestamptz
        and (t.kind = 'usage' or (t.kind = 'reversal' and t.reverses_id in (select id from ledger_transfers where kind = 'usage' and user_id = ${userId}::uuid)))`,
    );
    const headroom = live + u.creditLimit;
    const perHour = burn / RATE_SCALE;
    return {
      userId,
      posted: wallet.balance,
      unbilled,
      live,
      creditLimit: u.creditLimit,
      billingExempt: u.billingExempt,
      burnRatePerHour: perHour,
      hoursLeft: perHour > 0 ? Math.max(0, headroom / perHour) : null,
      spentThisMonth: Math.max(0, Number(spent.rows[0]?.amount ?? 0)) + unbilled,
      low: !u.billingExempt && perHour > 0 && headroom > 0 && headroom < s.lowBalanceHours * perHour,
      exhausted: !u.billingExempt && headroom <= 0 && perHour > 0,
      settings: publicSettings,
    };
  }

  async function balance(userId: string): Promise<Balance> {
    return db.transaction((tx) => balanceIn(tx, userId, clock.now()));
  }

  /**
   * Refuses to create or start a VM the owner cannot pay MIN_BALANCE_HOURS of.
   * Runs in the caller's transaction; the refusal is audited on its own, since
   * the caller's transaction is about to roll back.
   */
  async function requireFunds(
    tx: Executor,
    ownerId: string,
    runningRateX1024: number,
    what: { action: 'create' | 'start'; vmName: string; vmId?: string; actor: Actor; meta: RequestMeta },
  ): Promise<void> {
    if (runningRateX1024 <= 0) return;
    const now = clock.now();
    const b = await balanceIn(tx, ownerId, now);
    if (b.billingExempt) return;
    const need = Math.ceil((s.minBalanceHours * runningRateX1024) / RATE_SCALE);
    const available = b.live + b.creditLimit;
    if (available >= need) return;
    const hours = s.minBalanceHours === 1 ? '1 hour' : `${s.minBalanceHours} hours`;
    const err = new AppError(
      'INSUFFICIENT_CREDITS',
      `Not enough ${s.unitName}: ${what.action === 'create' ? 'creating' : 'starting'} "${what.vmName}" needs ${hours} of its rate available (${formatMinor(need)}), and ${formatMinor(Math.max(0, available))} is available. Ask an administrator for more ${s.unitName}.`,
      { need, available, unit: s.unitName },
    );
    refusals.set(err, {
      actorId: what.actor.userId,
      actorEmail: what.actor.email,
      action: 'billing.start_refused',
      targetType: what.vmId ? 'vm' : 'user',
      targetId: what.vmId ?? ownerId,
      ...what.meta,
      details: { ownerId, action: what.action, vm: what.vmName, need, available },
    });
    throw err;
  }

  /**
   * Audits a refusal of requireFunds once its transaction has rolled back
   * (the refusal itself must be kept), then passes the error on.
   */
  async function recordRefusal(e: unknown): Promise<never> {
    const entry = e instanceof AppError ? refusals.get(e) : undefined;
    if (entry) {
      refusals.delete(e as AppError);
      await db
        .transaction((tx) => appendAudit(tx, entry, clock.now()))
        .catch((err) => log.warn({ err }, 'could not audit a refused start'));
    }
    throw e;
  }

  function formatMinor(minor: number): string {
    return `${(minor / MINOR_UNITS_PER_CREDIT).toFixed(2)} ${s.unitName}`;
  }

  async function runCycle(opts: { at?: Date; trigger: 'schedule' | 'manual' }): Promise<BillingRun> {
    const now = clock.now();
    const at = opts.at ?? now;
    if (at.getTime() > now.getTime() + 1000 && !s.allowFutureRuns) {
      throw AppError.field(
        'VALIDATION_FAILED',
        'at',
        'A billing run cannot charge for time that has not passed yet (BILLING_ALLOW_FUTURE_RUNS is off)',
      );
    }
    const id = randomUUID();
    const started = performance.now();
    try {
      // A deadlock victim wrote nothing: the cycle is idempotent, so it simply runs again.
      const once = () =>
        db.transaction(async (tx) => {
          await enterBilling(tx, true);
          const r = await chargeUpTo(tx, at, s.monthlyCapHours);
          const durationMs = Math.round(performance.now() - started);
          const [row] = await tx
            .insert(billingRuns)
            .values({
              id,
              periodEnd: at,
              startedAt: now,
              finishedAt: clock.now(),
              durationMs,
              status: 'succeeded',
              trigger: opts.trigger,
              vms: r.vms,
              transfers: r.transfers,
              amount: r.amount,
            })
            .returning();
          // One audit entry for the whole cycle: the ledger is the per-VM record.
          if (r.transfers > 0 || r.waived > 0) {
            await appendAudit(
              tx,
              {
                ...SYSTEM,
                action: 'billing.cycle',
                targetType: 'billing_run',
                targetId: id,
                details: { periodEnd: at.toISOString(), ...r, durationMs, trigger: opts.trigger },
              },
              clock.now(),
            );
          }
          return row!;
        });
      let run: BillingRunRow;
      for (let attempt = 1; ; attempt++) {
        try {
          run = await once();
          break;
        } catch (e) {
          if (attempt >= 3 || !isRetryableConflict(e)) throw e;
          log.warn({ runId: id, attempt }, 'billing cycle crossed another transaction; running it again');
        }
      }
      log.info({ runId: id, ...runOf(run) }, 'billing cycle done');
      return runOf(run);
    } catch (e) {
      if (e instanceof AppError) throw e;
      const durationMs = Math.round(performance.now() - started);
      log.error({ err: e, runId: id }, 'billing cycle failed; nothing was charged, the next run catches up');
      const [row] = await db
        .insert(billingRuns)
        .values({
          id,
          periodEnd: at,
          startedAt: now,
          finishedAt: clock.now(),
          durationMs,
          status: 'failed',
          trigger: opts.trigger,
          error: String((e as Error).message).slice(0, 2000),
        })
        .returning();
      throw Object.assign(new Error(`billing cycle failed: ${(e as Error).message}`), { run: runOf(row!) });
    }
  }

  /**
   * The live-balance check, every reconciliation interval: alerts users whose
   * balance runs low, and shuts down the running VMs of those whose live
   * balance reached their credit limit, as durable operations. The overspend
   * is bounded by one interval's burn (plus the shutdown itself).
   */
  async function watch(): Promise<{
    checked: number;
    low: number;
    exhausted: number;
    shutdowns: number;
    /** Users whose alert changed or whose VMs were shut down: the ones whose pages must refresh. */
    actedOn: string[];
  }> {
    const now = clock.now();
    const rows = await db.transaction(async (tx) => {
      await enterBilling(tx, false);
      await computeCharges(tx, now, s.monthlyCapHours);
      const r = await query<{
        id: string;
        email: string;
        live: string;
        credit_limit: string;
        burn: string;
        alert: 'low' | 'exhausted' | null;
        running: string;
      }>(
        tx,
        sql`
        with unbilled as (
          select owner_id, sum(amount) as amount from billing_charges where not exempt group by owner_id
        ),
        burn as (
          select owner_id, sum(rate_x1024) as rate,
            count(*) filter (where power_state in ('running', 'paused') and status = 'active') as running
          from vms where rate_x1024 > 0 group by owner_id
        )
        select u.id, u.email, (w.credits_posted - w.debits_posted - coalesce(ub.amount, 0))::text as live,
          u.credit_limit::text, coalesce(b.rate, 0)::text as burn, u.balance_alert as alert,
          coalesce(b.running, 0)::text as running
        from users u
        join ledger_accounts w on w.user_id = u.id
        left join unbilled ub on ub.owner_id = u.id
        left join burn b on b.owner_id = u.id
        where not u.billing_exempt and (b.rate > 0 or u.balance_alert is not null)`,
      );
      return r.rows;
    });
    let low = 0;
    let exhausted = 0;
    let shutdowns = 0;
    const actedOn: string[] = [];
    for (const r of rows) {
      const live = Number(r.live);
      const limit = Number(r.credit_limit);
      const perHour = Number(r.burn) / RATE_SCALE;
      const headroom = live + limit;
      const isExhausted = headroom <= 0 && perHour > 0;
      const isLow = !isExhausted && perHour > 0 && headroom < s.lowBalanceHours * perHour;
      const want = isExhausted ? 'exhausted' : isLow ? 'low' : null;
      if (want === 'low') low++;
      if (want === 'exhausted') exhausted++;
      const running = Number(r.running);
      if (want === r.alert && !(want === 'exhausted' && running > 0 && s.autoShutdown)) continue;
      try {
        shutdowns += await act(r.id, r.email, want, r.alert, { live, limit, perHour }, now);
        actedOn.push(r.id);
      } catch (e) {
        log.error({ err: e, userId: r.id }, 'balance check could not act for a user; next check retries');
      }
    }
    return { checked: rows.length, low, exhausted, shutdowns, actedOn };
  }

  async function act(
    userId: string,
    email: string,
    want: 'low' | 'exhausted' | null,
    had: 'low' | 'exhausted' | null,
    b: { live: number; limit: number; perHour: number },
    now: Date,
  ): Promise<number> {
    const queued: string[] = [];
    await db.transaction(async (tx) => {
      if (want !== had) {
        await tx
          .update(users)
          .set({ balanceAlert: want, balanceAlertAt: want ? now : null })
          .where(eq(users.id, userId));
        if (want) {
          const hoursLeft = b.perHour > 0 ? Math.max(0, (b.live + b.limit) / b.perHour) : null;
          const data = { balance: b.live, creditLimit: b.limit, burnRatePerHour: b.perHour, hoursLeft };
          await notify(tx, userId, want === 'low' ? 'low_balance' : 'credits_exhausted', data, now);
          await appendAudit(
            tx,
            {
              ...SYSTEM,
              action: want === 'low' ? 'billing.low_balance' : 'billing.credits_exhausted',
              targetType: 'user',
              targetId: userId,
              details: { email, ...data },
            },
            now,
          );
        }
      }
      if (want !== 'exhausted' || !s.autoShutdown) return;
      // Running and suspended VMs with no operation under way; the one-active-operation
      // index skips any that gained one meanwhile.
      const targets = await query<{ id: string; name: string; power_state: string }>(
        tx,
        sql`
        select v.id, v.name, v.power_state from vms v
        where v.owner_id = ${userId}::uuid and v.status = 'active' and v.power_state in ('running', 'paused')
          and v.pve_lock is null
          and not exists (select 1 from vm_operations o where o.vm_id = v.id and o.status in ('queued', 'running'))
        order by v.id for update of v skip locked`,
      );
      const names: string[] = [];
      for (const v of targets.rows) {
        const id = randomUUID();
        const kind = v.power_state === 'paused' ? ('stop' as const) : ('shutdown' as const);
        const inserted = await tx
          .insert(vmOperations)
          .values({
            id,
            vmId: v.id,
            actorId: null,
            kind,
            params:
              kind === 'shutdown'
                ? { timeoutSeconds: s.shutdownTimeoutSeconds, forceStop: true, reason: 'credits_exhausted' }
                : { reason: 'credits_exhausted' },
            status: 'queued',
            step: 'queued',
            state: { previousStatus: 'active' },
            createdAt: now,
            updatedAt: now,
          })
          .onConflictDoNothing()
          .returning({ id: vmOperations.id });
        if (inserted.length) {
          queued.push(id);
          names.push(v.name);
        }
      }
      if (!queued.length) return;
      const data = { vms: names, balance: b.live, creditLimit: b.limit };
      await notify(tx, userId, 'auto_shutdown', data, now);
      await appendAudit(
        tx,
        {
          ...SYSTEM,
          action: 'billing.auto_shutdown',
          targetType: 'user',
          targetId: userId,
          details: { email, operations: queued, ...data },
        },
        now,
      );
    });
    for (const id of queued) {
      await deps.queue
        .enqueue(id)
        .catch((e) => log.warn({ err: e, operationId: id }, 'enqueue failed; the sweeper will deliver it'));
    }
    if (queued.length) log.warn({ userId, vms: queued.length, live: b.live }, 'credits exhausted: shutting VMs down');
    return queued.length;
  }

  /** Credits granted to every new account (INITIAL_CREDITS), once: the id is derived from the user. */
  async function grantInitial(tx: Executor, userId: string, now: Date): Promise<void> {
    if (s.initialCredits <= 0) return;
    const wallet = await walletOf(tx, userId);
    await postTransfer(
      tx,
      {
        id: derivedId('initial', userId),
        debitAccountId: PLATFORM_ACCOUNTS.grants,
        creditAccountId: wallet.id,
        amount: s.initialCredits,
        kind: 'initial',
        userId,
        reason: 'Initial credits for a new account',
      },
      now,
    );
  }

  /** After a grant, an alert that no longer holds is cleared at the next check; a notification says so now. */
  async function adjust(
    actor: Actor,
    userId: string,
    body: AdjustCreditsBody,
    meta: RequestMeta,
  ): Promise<Transaction> {
    const now = clock.now();
    const id = body.idempotencyKey ? derivedId('adjust', actor.userId, userId, body.idempotencyKey) : randomUUID();
    await db.transaction(async (tx) => {
      const [target] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
      if (!target) throw AppError.notFound('User');
      const wallet = await lockWallet(tx, userId);
      const grant = body.kind === 'grant';
      if (!grant && body.amount > wallet.balance) {
        const [done] = await query<{ id: string }>(
          tx,
          sql`select id from ledger_transfers where id = ${id}::uuid`,
        ).then((r) => r.rows);
        if (!done) {
          throw AppError.field(
            'INSUFFICIENT_CREDITS',
            'amount',
            `The balance is ${formatMinor(wallet.balance)}: a deduction cannot take it below zero`,
          );
        }
      }
      const posted = await postTransfer(
        tx,
        {
          id,
          debitAccountId: grant ? PLATFORM_ACCOUNTS.grants : wallet.id,
          creditAccountId: grant ? wallet.id : PLATFORM_ACCOUNTS.adjustments,
          amount: body.amount,
          kind: grant ? 'grant' : 'deduction',
          userId,
          actorId: actor.userId,
          actorEmail: actor.email,
          reason: body.reason,
        },
        now,
      );
      if (!posted) return;
      await appendAudit(
        tx,
        {
          actorId: actor.userId,
          actorEmail: actor.email,
          action: grant ? 'billing.credits_granted' : 'billing.credits_deducted',
          targetType: 'user',
          targetId: userId,
          ...meta,
          details: {
            transferId: id,
            email: target.email,
            amount: body.amount,
            reason: body.reason,
            before: { balance: wallet.balance },
            after: { balance: wallet.balance + (grant ? body.amount : -body.amount) },
          },
        },
        now,
      );
      await notify(
        tx,
        userId,
        grant ? 'credits_granted' : 'credits_deducted',
        { amount: body.amount, reason: body.reason, balance: wallet.balance + (grant ? body.amount : -body.amount) },
        now,
      );
    });
    const t = await getTransfer(db, id);
    return asUserTransaction(t!);
  }

  /**
   * One grant to many users, idempotent as a whole: each member's transfer id
   * is derived from the batch and the user, so sending the batch again (a
   * retry, a double click) credits nobody twice.
   */
  async function batchGrant(actor: Actor, body: BatchGrantBody, meta: RequestMeta): Promise<BatchGrantResult> {
    const now = clock.now();
    return db.transaction(async (tx) => {
      let targets: { id: string; email: string }[];
      let notFound: string[] = [];
      if ('emails' in body.target) {
        const emails = [...new Set(body.target.emails.filter(Boolean))];
        targets = await tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, emails));
        const found = new Set(targets.map((t) => t.email));
        notFound = emails.filter((e) => !found.has(e));
      } else {
        const f = body.target.filter;
        const where: SQL[] = [];
        if (f.role) where.push(eq(users.role, f.role));
        if (f.state) where.push(eq(users.state, f.state));
        if (f.q) {
          const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          where.push(or(ilike(users.email, like), ilike(users.displayName, like))!);
        }
        targets = await tx
          .select({ id: users.id, email: users.email })
          .from(users)
          .where(where.length ? and(...where) : undefined);
      }
      if (!targets.length) {
        throw new AppError('VALIDATION_FAILED', 'Nobody matches: no credits were granted', {
          fields: [{ path: 'target', message: 'No account matches' }],
          notFound,
        });
      }
      let granted = 0;
      for (const t of targets) {
        const wallet = await walletOf(tx, t.id);
        const posted = await postTransfer(
          tx,
          {
            id: derivedId('batch', body.batchId, t.id),
            debitAccountId: PLATFORM_ACCOUNTS.grants,
            creditAccountId: wallet.id,
            amount: body.amount,
            kind: 'grant',
            userId: t.id,
            batchId: body.batchId,
            actorId: actor.userId,
            actorEmail: actor.email,
            reason: body.reason,
          },
          now,
        );
        if (posted) {
          granted++;
          await notify(tx, t.id, 'credits_granted', { amount: body.amount, reason: body.reason }, now);
        }
      }
      if (granted > 0) {
        await appendAudit(
          tx,
          {
            actorId: actor.userId,
            actorEmail: actor.email,
            action: 'billing.batch_granted',
            targetType: 'batch',
            targetId: body.batchId,
            ...meta,
            details: {
              amount: body.amount,
              reason: body.reason,
              users: granted,
              total: granted * body.amount,
              target: 'emails' in body.target ? { emails: body.target.emails.length } : body.target,
              notFound: notFound.slice(0, 50),
            },
          },
          now,
        );
      }
      return {
        batchId: body.batchId,
        granted,
        alreadyGranted: targets.length - granted,
        notFound,
        total: granted * body.amount,
      };
    });
  }

  async function reverse(actor: Actor, transferId: string, reason: string, meta: RequestMeta): Promise<Transaction> {
    const now = clock.now();
    const id = derivedId('reversal', transferId);
    await db.transaction(async (tx) => {
      const original = await query<{
        id: string;
        debit_account_id: string;
        credit_account_id: string;
        amount: string;
        kind: string;
        user_id: string | null;
        vm_id: string | null;
      }>(
        tx,
        sql`select id, debit_account_id, credit_account_id, amount::text, kind, user_id, vm_id
             from ledger_transfers where id = ${transferId}::uuid`,
      );
      const o = original.rows[0];
      if (!o) throw AppError.notFound('Transaction');
      if (o.kind === 'reversal') throw new AppError('CONFLICT', 'A reversal cannot itself be reversed');
      const posted = await postTransfer(
        tx,
        {
          id,
          debitAccountId: o.credit_account_id,
          creditAccountId: o.debit_account_id,
          amount: Number(o.amount),
          kind: 'reversal',
          userId: o.user_id,
          vmId: o.vm_id,
          reversesId: o.id,
          actorId: actor.userId,
          actorEmail: actor.email,
          reason,
        },
        now,
      ).catch((e) => {
        if (String((e as { code?: string }).code ?? (e as { cause?: { code?: string } }).cause?.code) === '23505')
          throw new AppError('ALREADY_REVERSED', 'This transaction was already reversed');
        throw e;
      });
      if (!posted) throw new AppError('ALREADY_REVERSED', 'This transaction was already reversed');
      await appendAudit(
        tx,
        {
          actorId: actor.userId,
          actorEmail: actor.email,
          action: 'billing.transfer_reversed',
          targetType: 'transfer',
          targetId: o.id,
          ...meta,
          details: { reversalId: id, kind: o.kind, amount: Number(o.amount), userId: o.user_id, reason },
        },
        now,
      );
    });
    return asUserTransaction((await getTransfer(db, id))!);
  }

  /**
   * Changes a user's credit limit or exemption. An exemption that changes
   * first settles their VMs up to now, so the time before is charged (or
   * waived) under the rule that held then.
   */
  async function setProfile(actor: Actor, userId: string, body: BillingProfileBody, meta: RequestMeta) {
    const now = clock.now();
    await db.transaction(async (tx) => {
      const [before] = await tx
        .select({ email: users.email, creditLimit: users.creditLimit, billingExempt: users.billingExempt })
        .from(users)
        .where(eq(users.id, userId))
        .for('update');
      if (!before) throw AppError.notFound('User');
      if (body.billingExempt !== undefined && body.billingExempt !== before.billingExempt) {
        await enterBilling(tx, true);
        await chargeUpTo(tx, now, s.monthlyCapHours, { ownerId: userId });
      }
      const after = {
        creditLimit: body.creditLimit ?? before.creditLimit,
        billingExempt: body.billingExempt ?? before.billingExempt,
      };
      await tx.update(users).set(after).where(eq(users.id, userId));
      await appendAudit(
        tx,
        {
          actorId: actor.userId,
          actorEmail: actor.email,
          action: 'billing.profile_changed',
          targetType: 'user',
          targetId: userId,
          ...meta,
          details: {
            email: before.email,
            before: { creditLimit: before.creditLimit, billingExempt: before.billingExempt },
            after,
          },
        },
        now,
      );
    });
    return balance(userId);
  }

  async function vmBilling(actor: Actor, vmId: string): Promise<VmBilling> {
    const now = clock.now();
    return db.transaction(async (tx) => {
      const vm = await getAccessibleVm(tx, actor, vmId, { includeDeleted: true });
      const unbilled = (await unbilledOf(tx, vm.ownerId, now)).get(vm.id) ?? 0;
      const [meter] = await tx.select().from(vmMeters).where(eq(vmMeters.vmId, vm.id));
      const month = await query<{ amount: string | null }>(
        tx,
        sql`
        select sum(case when kind = 'usage' then amount else -amount end)::text as amount from ledger_transfers
        where vm_id = ${vm.id}::uuid and created_at >= ${monthStart(now).toISOString()}::timestamptz
          and (kind = 'usage' or (kind = 'reversal' and reverses_id in (select id from ledger_transfers where kind = 'usage')))`,
      );
      const rates = await query<{ running: string; stopped: string; current: string }>(
        tx,
        sql`
        select running_rate_x1024::text as running, stopped_rate_x1024::text as stopped, rate_x1024::text as current
        from vms where id = ${vm.id}::uuid`,
      );
      const r = rates.rows[0]!;
      const running = Number(r.running) / RATE_SCALE;
      const charged = (meter?.settled ?? 0) - (meter?.waived ?? 0);
      return {
        vmId: vm.id,
        rate: { runningPerHour: running, stoppedPerHour: Number(r.stopped) / RATE_SCALE },
        currentPerHour: Number(r.current) / RATE_SCALE,
        monthlyCap: s.monthlyCapHours > 0 ? { hours: s.monthlyCapHours, amount: running * s.monthlyCapHours } : null,
        costThisMonth: Math.max(0, Number(month.rows[0]?.amount ?? 0)) + unbilled,
        costSinceCreation: charged + unbilled,
        unbilled,
        meteredThrough: (meter?.meteredThrough ?? vm.createdAt).toISOString(),
      };
    });
  }

  async function spend(userId: string, days: number): Promise<SpendSeries> {
    const now = clock.now();
    const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
    const start = new Date(end.getTime() - days * 24 * HOUR_MS);
    const r = await query<{ d: string; amount: string }>(
      db,
      sql`
      select to_char(t.created_at at time zone 'UTC', 'YYYY-MM-DD') as d,
        sum(case when t.kind = 'usage' then t.amount else -t.amount end)::text as amount
      from ledger_transfers t
      where t.user_id = ${userId}::uuid and t.created_at >= ${start.toISOString()}::timestamptz
        and t.created_at < ${end.toISOString()}::timestamptz
        and (t.kind = 'usage' or (t.kind = 'reversal' and t.reverses_id in (select id from ledger_transfers where kind = 'usage' and user_id = ${userId}::uuid)))
      group by 1`,
    );
    const byDay = new Map(r.rows.map((x) => [x.d, Math.max(0, Number(x.amount))]));
    const out: SpendSeries['days'] = [];
    for (let t = start.getTime(); t < end.getTime(); t += 24 * HOUR_MS) {
      const date = new Date(t).toISOString().slice(0, 10);
      out.push({ date, amount: byDay.get(date) ?? 0 });
    }
    return { days: out, total: out.reduce((a, d) => a + d.amount, 0) };
  }

  async function runs(q: { page: number; pageSize: number }) {
    const [rows, total] = await Promise.all([
      db
        .select()
        .from(billingRuns)
        .orderBy(desc(billingRuns.startedAt))
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize),
      db.$count(billingRuns),
    ]);
    return { items: rows.map(runOf), total, page: q.page, pageSize: q.pageSize };
  }

  async function lastRun(): Promise<BillingRun | null> {
    const [r] = await db.select().from(billingRuns).orderBy(desc(billingRuns.startedAt)).limit(1);
    return r ? runOf(r) : null;
  }

  return {
    settings: () => publicSettings,
    balance,
    requireFunds,
    recordRefusal,
    // Open pages learn of a change of money once it has committed.
    async runCycle(opts: Parameters<typeof runCycle>[0]) {
      const run = await runCycle(opts);
      if (run.transfers > 0) deps.live?.balanceOfEveryone();
      return run;
    },
    async watch() {
      const { actedOn, ...r } = await watch();
      deps.live?.balance(actedOn);
      return r;
    },
    grantInitial,
    async adjust(...args: Parameters<typeof adjust>) {
      const t = await adjust(...args);
      deps.live?.balance([args[1]]);
      return t;
    },
    async batchGrant(...args: Parameters<typeof batchGrant>) {
      const r = await batchGrant(...args);
      if (r.granted > 0) deps.live?.balanceOfEveryone();
      return r;
    },
    async reverse(...args: Parameters<typeof reverse>) {
      const t = await reverse(...args);
      deps.live?.balanceOfEveryone();
      return t;
    },
    setProfile,
    vmBilling,
    spend,
    runs,
    lastRun,
    verify: () => verifyLedger(db),
  };
}
export type BillingService = ReturnType<typeof createBillingService>;
