import { sql } from 'drizzle-orm';
import type { BillingService } from '../billing/billing.service.js';
import { randomUUID } from 'node:crypto';
import type { AccountState, AdminUser, ListUsersQuery, Role, UserPage } from '@uni-manager/contracts';
import type { Db } from '../../db/client.js';
import { users, type UserRow } from '../../db/schema/index.js';
import type { Clock } from '../../lib/clock.js';
import type { Actor, RequestMeta } from '../../lib/context.js';
import { isUniqueViolation } from '../../lib/db-errors.js';
import { AppError } from '../../lib/errors.js';
import { appendAudit } from '../audit/audit.repo.js';
import { revokeUserSessions } from '../auth/auth.repo.js';
import type { PrincipalCache } from '../auth/principal-cache.js';
import { passwordWeakness, type PasswordHasher } from '../auth/password.js';
import { toAdminUser } from './users.mapper.js';
import * as repo from './users.repo.js';

export interface UsersServiceDeps {
  db: Db;
  clock: Clock;
  hasher: PasswordHasher;
  billing: Pick<BillingService, 'grantInitial'>;
  principals: Pick<PrincipalCache, 'invalidateUser'>;
}

type StateAction = 'suspend' | 'unsuspend' | 'ban' | 'unban';

/** Which state each action leads to, and from which states it may start. */
const transitions: Record<
  StateAction,
  {
    from: AccountState[];
    to: AccountState;
    audit: 'user.suspended' | 'user.unsuspended' | 'user.banned' | 'user.unbanned';
  }
> = {
  suspend: { from: ['active'], to: 'suspended', audit: 'user.suspended' },
  unsuspend: { from: ['suspended'], to: 'active', audit: 'user.unsuspended' },
  ban: { from: ['active', 'suspended'], to: 'banned', audit: 'user.banned' },
  unban: { from: ['banned'], to: 'active', audit: 'user.unbanned' },
};

/** Advisory lock taken by every change of a user's role or state (see enterRosterChange). */
const ROSTER_LOCK = 727_006;

export function createUsersService(deps: UsersServiceDeps) {
  const { db, clock } = deps;

  async function get(id: string): Promise<AdminUser> {
    const row = await repo.getUserWithSessions(db, id, clock.now());
    if (!row) throw AppError.notFound('User');
    return toAdminUser(row.user, row);
  }

  /**
   * Refuses to leave the organisation without an active admin. Called inside
   * the transaction after the target row is locked, so concurrent demotions
   * cannot both pass.
   */
  /**
   * Role and state changes take turns. Each locks its target and then every
   * active admin (guardLastAdmin); two admins demoting each other at once
   * would otherwise each hold the other's row and deadlock.
   */
  async function enterRosterChange(tx: Parameters<Parameters<Db['transaction']>[0]>[0]) {
    await tx.execute(sql`select pg_advisory_xact_lock(${ROSTER_LOCK})`);
  }

  async function guardLastAdmin(tx: Parameters<Parameters<Db['transaction']>[0]>[0], target: UserRow) {
    if (target.role !== 'admin' || target.state !== 'active') return;
    const admins = await repo.lockActiveAdmins(tx);
    if (admins.length <= 1)
      throw new AppError('LAST_ADMIN', 'This is the last active administrator; promote another user first');
  }

  return {
    get,

    async list(q: ListUsersQuery): Promise<UserPage> {
      const { rows, total } = await repo.listUsers(db, q, clock.now());
      return {
        items: rows.map((r) => toAdminUser(r.user, r)),
        total,
        page: q.page,
        pageSize: q.pageSize,
      };
    },

    async changeRole(actor: Actor, id: string, role: Role, meta: RequestMeta): Promise<AdminUser> {
      if (id === actor.userId)
        throw new AppError('SELF_ACTION', 'You cannot change your own role; ask another administrator');
      await db.transaction(async (tx) => {
        await enterRosterChange(tx);
        const target = await repo.lockUser(tx, id);
        if (!target) throw AppError.notFound('User');
        if (target.role === role) return;
        if (role === 'user') await guardLastAdmin(tx, target);
        await repo.updateUser(tx, id, { role, updatedAt: clock.now() });
        await appendAudit(
          tx,
          {
            action: 'user.role_changed',
            actorId: actor.userId,
            actorEmail: actor.email,
            targetType: 'user',
            targetId: id,
            details: { email: target.email, before: { role: target.role }, after: { role } },
            ...meta,
          },
          clock.now(),
        );
      });
      await deps.principals.invalidateUser(id);
      return get(id);
    },

    async changeState(
      actor: Actor,
      id: string,
      action: StateAction,
      reason: string | null,
      meta: RequestMeta,
    ): Promise<AdminUser> {
      if (id === actor.userId) throw new AppError('SELF_ACTION', 'You cannot change the state of your own account');
      const t = transitions[action];
      await db.transaction(async (tx) => {
        await enterRosterChange(tx);
        const target = await repo.lockUser(tx, id);
        if (!target) throw AppError.notFound('User');
        if (!t.from.includes(target.state))
          throw new AppError('INVALID_STATE_TRANSITION', `Cannot ${action} an account that is ${target.state}`, {
            state: target.state,
          });
        if (t.to !== 'active') await guardLastAdmin(tx, target);
        const now = clock.now();
        await repo.updateUser(tx, id, {
          state: t.to,
          stateReason: t.to === 'active' ? null : reason,
          stateChangedAt: now,
          updatedAt: now,
        });
        // Suspension must bite at once: no refresh token of theirs may work again.
        const revoked = t.to === 'active' ? 0 : await revokeUserSessions(tx, id, `account_${t.to}`, now);
        await appendAudit(
          tx,
          {
            action: t.audit,
            actorId: actor.userId,
            actorEmail: actor.email,
            targetType: 'user',
            targetId: id,
            details: {
              email: target.email,
              reason,
              before: { state: target.state, stateReason: target.stateReason },
              after: { state: t.to, stateReason: t.to === 'active' ? null : reason },
              sessionsRevoked: revoked,
            },
            ...meta,
          },
          now,
        );
      });
      // Every instance drops what it cached of this user before the admin is told it is done.
      await deps.principals.invalidateUser(id);
      return get(id);
    },

    /** For the CLI and first start: an account created by an operator, not by registration. */
    async createAccount(
      input: { email: string; displayName: string; password: string; role: Role },
      meta: RequestMeta,
    ): Promise<{ id: string }> {
      const weak = passwordWeakness(input.password, input);
      if (weak) throw AppError.field('WEAK_PASSWORD', 'password', weak);
      const passwordHash = await deps.hasher.hash(input.password);
      const now = clock.now();
      try {
        return await db.transaction(async (tx) => {
          const id = randomUUID();
          await tx.insert(users).values({
            id,
            email: input.email,
            displayName: input.displayName,
            passwordHash,
            role: input.role,
            createdAt: now,
            updatedAt: now,
            passwordChangedAt: now,
          });
          await deps.billing.grantInitial(tx, id, now);
          await appendAudit(
            tx,
            {
              action: 'user.created',
              targetType: 'user',
              targetId: id,
              details: { email: input.email, role: input.role, via: 'cli' },
              ...meta,
            },
            now,
          );
          return { id };
        });
      } catch (e) {
        if (isUniqueViolation(e))
          throw AppError.field('EMAIL_TAKEN', 'email', 'An account with this email already exists');
        throw e;
      }
    },

    countUsers: () => repo.countUsers(db),
  };
}
export type UsersService = ReturnType<typeof createUsersService>;
