import { randomUUID } from 'node:crypto';
import type { AuthSession, Session, User } from '@uni-manager/contracts';
import type { Db, Executor } from '../../db/client.js';
import { eq } from 'drizzle-orm';
import { users, type UserRow } from '../../db/schema/index.js';
import type { Clock } from '../../lib/clock.js';
import type { Actor, RequestMeta } from '../../lib/context.js';
import { isUniqueViolation } from '../../lib/db-errors.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { RateLimitRule, RateLimiter } from '../../lib/ratelimit/rate-limiter.js';
import { appendAudit, type AuditEntry } from '../audit/audit.repo.js';
import type { BillingService } from '../billing/billing.service.js';
import { toUser } from '../users/users.mapper.js';
import * as repo from './auth.repo.js';
import { passwordWeakness, type PasswordHasher } from './password.js';
import type { Principal, PrincipalCache } from './principal-cache.js';
import { hashRefreshToken, newRefreshToken, type TokenService } from './tokens.js';

export interface AuthRules {
  login: RateLimitRule;
  loginIp: RateLimitRule;
  register: RateLimitRule;
  refresh: RateLimitRule;
  passwordChange: RateLimitRule;
}

export interface AuthServiceDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  hasher: PasswordHasher;
  tokens: TokenService;
  limiter: RateLimiter;
  rules: AuthRules;
  refreshTtlSeconds: number;
  allowRegistration: boolean;
  billing: Pick<BillingService, 'grantInitial'>;
  principals: PrincipalCache;
}

/** What a successful login, registration or refresh hands to the route: the body and the cookie. */
export interface IssuedSession {
  body: AuthSession;
  refreshToken: string;
  refreshExpiresAt: Date;
}

export function accountStateError(u: Pick<UserRow, 'state' | 'stateReason'>): AppError | null {
  if (u.state === 'suspended')
    return new AppError(
      'ACCOUNT_SUSPENDED',
      u.stateReason ? `Your account is suspended: ${u.stateReason}` : 'Your account is suspended',
      { reason: u.stateReason },
    );
  if (u.state === 'banned')
    return new AppError(
      'ACCOUNT_BANNED',
      u.stateReason ? `Your account is banned: ${u.stateReason}` : 'Your account is banned',
      { reason: u.stateReason },
    );
  return null;
}

export function createAuthService(deps: AuthServiceDeps) {
  const { db, clock, hasher, tokens, limiter, rules } = deps;

  async function limit(rule: RateLimitRule, subject: string) {
    const r = await limiter.consume(rule, subject);
    if (!r.allowed)
      throw new AppError('RATE_LIMITED', `Too many attempts; try again in ${r.retryAfterSeconds} seconds`, {
        retryAfterSeconds: r.retryAfterSeconds,
      });
  }

  const audit = (tx: Executor, meta: RequestMeta, entry: Omit<AuditEntry, keyof RequestMeta>) =>
    appendAudit(tx, { ...entry, ...meta }, clock.now());

  /** Creates a session with its first refresh token, inside the caller's transaction. */
  async function principal(sessionId: string, userId: string): Promise<Principal> {
    let p = deps.principals.get(sessionId);
    if (!p) {
      const row = await repo.findSessionPrincipal(db, sessionId);
      if (row) {
        p = {
          sessionId: row.sessionId,
          userId: row.user.id,
          email: row.user.email,
          role: row.user.role,
          state: row.user.state,
          stateReason: row.user.stateReason,
          revokedAt: row.revokedAt,
        };
        deps.principals.set(p);
      }
    }
    if (!p || p.userId !== userId) throw new AppError('UNAUTHENTICATED', 'The access token is invalid');
    // State before revocation: suspension also revokes sessions, and the user
    // deserves to be told why ("suspended: <reason>"), not just "signed out".
    const stateError = accountStateError(p);
    if (stateError) throw stateError;
    if (p.revokedAt) throw new AppError('SESSION_REVOKED', 'This session has been signed out; sign in again');
    return p;
  }

  async function openSession(tx: Executor, user: UserRow, meta: RequestMeta, now: Date) {
    const sessionId = randomUUID();
    const refreshToken = newRefreshToken();
    const refreshExpiresAt = new Date(now.getTime() + deps.refreshTtlSeconds * 1000);
    await repo.insertSession(tx, { id: sessionId, userId: user.id, now, expiresAt: refreshExpiresAt, ...meta });
    await repo.insertRefreshToken(tx, {
      id: randomUUID(),
      sessionId,
      tokenHash: hashRefreshToken(refreshToken),
      now,
      expiresAt: refreshExpiresAt,
    });
    return { sessionId, refreshToken, refreshExpiresAt };
  }

  async function issue(
    user: UserRow,
    sessionId: string,
    refreshToken: string,
    refreshExpiresAt: Date,
  ): Promise<IssuedSession> {
    const access = await tokens.signAccess({ userId: user.id, sessionId }, clock.now());
    return {
      body: { user: toUser(user), accessToken: access.token, accessTokenExpiresAt: access.expiresAt.toISOString() },
      refreshToken,
      refreshExpiresAt,
    };
  }

  return {
    async register(
      input: { email: string; displayName: string; password: string },
      meta: RequestMeta,
    ): Promise<IssuedSession> {
      if (!deps.allowRegistration)
        throw new AppError('FORBIDDEN', 'Registration is closed; ask an administrator for an account');
      await limit(rules.register, meta.ip ?? 'unknown');
      const weak = passwordWeakness(input.password, input);
      if (weak) throw AppError.field('WEAK_PASSWORD', 'password', weak);
      const passwordHash = await hasher.hash(input.password);
      const now = clock.now();
      try {
        return await db.transaction(async (tx) => {
          const [user] = await tx
            .insert(users)
            .values({
              id: randomUUID(),
              email: input.email,
              displayName: input.displayName,
              passwordHash,
              createdAt: now,
              updatedAt: now,
              passwordChangedAt: now,
              lastLoginAt: now,
            })
            .returning();
          await deps.billing.grantInitial(tx, user!.id, now);
          const s = await openSession(tx, user!, meta, now);
          await audit(tx, meta, {
            action: 'auth.register',
            actorId: user!.id,
            actorEmail: user!.email,
            targetType: 'user',
            targetId: user!.id,
            details: { displayName: user!.displayName },
          });
          return issue(user!, s.sessionId, s.refreshToken, s.refreshExpiresAt);
        });
      } catch (e) {
        if (isUniqueViolation(e))
          throw AppError.field('EMAIL_TAKEN', 'email', 'An account with this email already exists');
        throw e;
      }
    },

    async login(input: { email: string; password: string }, meta: RequestMeta): Promise<IssuedSession> {
      const ip = meta.ip ?? 'unknown';
      await limit(rules.loginIp, ip);
      await limit(rules.login, `${ip}|${input.email}`);
      const user = await repo.findUserByEmail(db, input.email);
      const ok = await hasher.verify(user?.passwordHash ?? null, input.password);
      const now = clock.now();
      if (!user || !ok) {
        await audit(db, meta, {
          action: 'auth.login_failed',
          actorId: null,
          actorEmail: input.email,
          targetType: user ? 'user' : null,
          targetId: user?.id ?? null,
          details: { reason: user ? 'wrong_password' : 'unknown_email' },
        });
        throw new AppError('INVALID_CREDENTIALS', 'Email or password is incorrect');
      }
      const stateError = accountStateError(user);
      if (stateError) {
        await audit(db, meta, {
          action: 'auth.login_failed',
          actorId: user.id,
          actorEmail: user.email,
          targetType: 'user',
          targetId: user.id,
          details: { reason: `account_${user.state}` },
        });
        throw stateError;
      }
      await limiter.reset(rules.login, `${ip}|${input.email}`);
      const rehash = hasher.needsRehash(user.passwordHash) ? await hasher.hash(input.password) : undefined;
      return db.transaction(async (tx) => {
        await repo.recordLogin(tx, user.id, now, rehash);
        const s = await openSession(tx, user, meta, now);
        await audit(tx, meta, {
          action: 'auth.login',
          actorId: user.id,
          actorEmail: user.email,
          targetType: 'session',
          targetId: s.sessionId,
        });
        return issue({ ...user, lastLoginAt: now }, s.sessionId, s.refreshToken, s.refreshExpiresAt);
      });
    },

    async refresh(token: string | undefined, meta: RequestMeta): Promise<IssuedSession> {
      await limit(rules.refresh, meta.ip ?? 'unknown');
      if (!token) throw new AppError('REFRESH_TOKEN_INVALID', 'No session to refresh; sign in');
      const found = await repo.findRefreshToken(db, hashRefreshToken(token));
      if (!found) throw new AppError('REFRESH_TOKEN_INVALID', 'This session is not valid; sign in again');
      const { token: rt, session, user } = found;
      const now = clock.now();

      const reuse = async () => {
        // A rotated token came back: someone holds a copy. Kill the whole family
        // so neither the thief nor the victim can continue with it.
        await db.transaction(async (tx) => {
          const revoked = await repo.revokeSession(tx, session.id, 'refresh_token_reuse', now);
          await audit(tx, meta, {
            action: 'auth.refresh_reuse',
            actorId: user.id,
            actorEmail: user.email,
            targetType: 'session',
            targetId: session.id,
            details: { sessionRevoked: revoked },
          });
        });
        await deps.principals.invalidateUser(user.id);
        deps.logger.warn({ userId: user.id, sessionId: session.id }, 'refresh token reuse detected; session revoked');
        return new AppError('REFRESH_TOKEN_REUSED', 'This session was ended for your protection; sign in again');
      };

      if (rt.usedAt) throw await reuse();
      const stateError = accountStateError(user);
      if (stateError) throw stateError;
      if (session.revokedAt) throw new AppError('SESSION_REVOKED', 'This session has been signed out; sign in again');
      if (rt.expiresAt <= now || session.expiresAt <= now)
        throw new AppError('REFRESH_TOKEN_INVALID', 'Your session has expired; sign in again');

      const next = newRefreshToken();
      const nextExpiresAt = new Date(now.getTime() + deps.refreshTtlSeconds * 1000);
      const claimed = await db.transaction(async (tx) => {
        if (!(await repo.claimRefreshToken(tx, rt.id, now))) return false;
        await repo.insertRefreshToken(tx, {
          id: randomUUID(),
          sessionId: session.id,
          tokenHash: hashRefreshToken(next),
          now,
          expiresAt: nextExpiresAt,
        });
        await repo.touchSession(tx, session.id, now, nextExpiresAt);
        return true;
      });
      if (!claimed) throw await reuse();
      return issue(user, session.id, next, nextExpiresAt);
    },

    /** Ends the session named by the refresh cookie, or else by the access token. Idempotent. */
    async logout(input: { refreshToken?: string | undefined; actor?: Actor | null }, meta: RequestMeta): Promise<void> {
      let sessionId = input.actor?.sessionId;
      let userId = input.actor?.userId;
      let email = input.actor?.email;
      if (input.refreshToken) {
        const found = await repo.findRefreshToken(db, hashRefreshToken(input.refreshToken));
        if (found) {
          sessionId = found.session.id;
          userId = found.user.id;
          email = found.user.email;
        }
      }
      if (!sessionId || !userId) return;
      await db.transaction(async (tx) => {
        if (await repo.revokeSession(tx, sessionId, 'logout', clock.now()))
          await audit(tx, meta, {
            action: 'auth.logout',
            actorId: userId,
            actorEmail: email,
            targetType: 'session',
            targetId: sessionId,
          });
      });
      await deps.principals.invalidateUser(userId);
    },

    /** Resolves an access token to its actor, checking the live state of the session and account. */
    async authenticate(accessToken: string): Promise<Actor> {
      const claims = await tokens.verifyAccess(accessToken, clock.now());
      const p = await principal(claims.sessionId, claims.userId);
      return {
        userId: p.userId,
        sessionId: p.sessionId,
        email: p.email,
        role: p.role,
        ...(claims.expiresAt ? { tokenExpiresAt: claims.expiresAt } : {}),
      };
    },

    /** The same checks for a session already authenticated (a live stream), after its user's rights changed. */
    recheckSession: (sessionId: string, userId: string) => principal(sessionId, userId),

    async me(actor: Actor): Promise<User> {
      const u = await repo.findUserById(db, actor.userId);
      if (!u) throw AppError.notFound('User');
      return toUser(u);
    },

    async updateProfile(actor: Actor, input: { displayName: string }, meta: RequestMeta): Promise<User> {
      return db.transaction(async (tx) => {
        const before = await repo.findUserById(tx, actor.userId);
        if (!before) throw AppError.notFound('User');
        const [after] = await tx
          .update(users)
          .set({ displayName: input.displayName, updatedAt: clock.now() })
          .where(eq(users.id, actor.userId))
          .returning();
        if (before.displayName !== input.displayName)
          await audit(tx, meta, {
            action: 'user.profile_updated',
            actorId: actor.userId,
            actorEmail: actor.email,
            targetType: 'user',
            targetId: actor.userId,
            details: { before: { displayName: before.displayName }, after: { displayName: input.displayName } },
          });
        return toUser(after!);
      });
    },

    async changePassword(
      actor: Actor,
      input: { currentPassword: string; newPassword: string },
      meta: RequestMeta,
    ): Promise<void> {
      await limit(rules.passwordChange, actor.userId);
      const u = await repo.findUserById(db, actor.userId);
      if (!u) throw AppError.notFound('User');
      if (!(await hasher.verify(u.passwordHash, input.currentPassword)))
        throw AppError.field('WRONG_PASSWORD', 'currentPassword', 'The current password is incorrect');
      if (input.currentPassword === input.newPassword)
        throw AppError.field('WEAK_PASSWORD', 'newPassword', 'The new password must differ from the current one');
      const weak = passwordWeakness(input.newPassword, u);
      if (weak) throw AppError.field('WEAK_PASSWORD', 'newPassword', weak);
      const hash = await hasher.hash(input.newPassword);
      const now = clock.now();
      await db.transaction(async (tx) => {
        await repo.setPassword(tx, u.id, hash, now);
        // Whoever else knew the old password is signed out everywhere else.
        const revoked = await repo.revokeUserSessions(tx, u.id, 'password_changed', now, actor.sessionId);
        await audit(tx, meta, {
          action: 'auth.password_changed',
          actorId: u.id,
          actorEmail: u.email,
          targetType: 'user',
          targetId: u.id,
          details: { otherSessionsRevoked: revoked },
        });
      });
      await deps.principals.invalidateUser(u.id);
    },

    async listSessions(actor: Actor): Promise<Session[]> {
      const rows = await repo.listLiveSessions(db, actor.userId, clock.now());
      return rows.map((s) => ({
        id: s.id,
        createdAt: s.createdAt.toISOString(),
        lastUsedAt: s.lastUsedAt.toISOString(),
        expiresAt: s.expiresAt.toISOString(),
        ip: s.ip,
        userAgent: s.userAgent,
        current: s.id === actor.sessionId,
      }));
    },

    async revokeSession(actor: Actor, sessionId: string, meta: RequestMeta): Promise<void> {
      const s = await repo.findOwnSession(db, actor.userId, sessionId);
      if (!s) throw AppError.notFound('Session');
      await db.transaction(async (tx) => {
        if (await repo.revokeSession(tx, s.id, 'revoked_by_user', clock.now()))
          await audit(tx, meta, {
            action: 'auth.session_revoked',
            actorId: actor.userId,
            actorEmail: actor.email,
            targetType: 'session',
            targetId: s.id,
          });
      });
      await deps.principals.invalidateUser(actor.userId);
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
