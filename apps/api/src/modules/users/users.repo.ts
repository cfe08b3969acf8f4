import type { ListUsersQuery } from '@uni-manager/contracts';
import { and, asc, count, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { users, type UserRow } from '../../db/schema/index.js';
import { escapeLike } from '../../lib/sql.js';

const sortColumns = {
  createdAt: users.createdAt,
  email: users.email,
  displayName: users.displayName,
  lastLoginAt: users.lastLoginAt,
  role: users.role,
  state: users.state,
  balance: sql`(select w.credits_posted - w.debits_posted from ledger_accounts w where w.user_id = "users"."id")`,
  vmCount: sql`(select count(*) from vms v where v.owner_id = "users"."id" and v.status not in ('deleted', 'failed'))`,
} as const;

// Written out with an alias: inside a correlated subquery Drizzle leaves column
// names unqualified, and a bare "id" would bind to the sessions table.
const balanceOf = sql<string>`(select (w.credits_posted - w.debits_posted)::text from ledger_accounts w where w.user_id = "users"."id")`;
const vmCountOf = sql<number>`(select count(*)::int from vms v where v.owner_id = "users"."id" and v.status not in ('deleted', 'failed'))`;

function activeSessionsOf(now: Date) {
  return sql<number>`(select count(*)::int from sessions s where s.user_id = "users"."id" and s.revoked_at is null and s.expires_at > ${now.toISOString()}::timestamptz)`;
}

export async function listUsers(db: Executor, q: ListUsersQuery, now: Date) {
  const where: (SQL | undefined)[] = [];
  if (q.role) where.push(eq(users.role, q.role));
  if (q.state) where.push(eq(users.state, q.state));
  if (q.q) {
    const like = `%${escapeLike(q.q)}%`;
    where.push(or(ilike(users.email, like), ilike(users.displayName, like)));
  }
  const cond = and(...where);
  const dir = q.order === 'asc' ? asc : desc;
  const col = sortColumns[q.sort];
  // nulls (never logged in) sort last whichever the direction; id breaks ties so pages never overlap.
  const order =
    q.sort === 'lastLoginAt' ? [sql`${col} ${sql.raw(q.order)} nulls last`, dir(users.id)] : [dir(col), dir(users.id)];
  const [rows, [total]] = await Promise.all([
    db
      .select({ user: users, activeSessions: activeSessionsOf(now), balance: balanceOf, vmCount: vmCountOf })
      .from(users)
      .where(cond)
      .orderBy(...order)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(users).where(cond),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export async function getUserWithSessions(db: Executor, id: string, now: Date) {
  const [row] = await db
    .select({ user: users, activeSessions: activeSessionsOf(now), balance: balanceOf, vmCount: vmCountOf })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return row;
}

/** Locks the row so two admins acting on one user serialise. */
export async function lockUser(tx: Executor, id: string): Promise<UserRow | undefined> {
  const [u] = await tx.select().from(users).where(eq(users.id, id)).for('update').limit(1);
  return u;
}

/**
 * Locks every active admin and counts them. Two admins demoting each other at
 * the same moment both wait here, so the second sees the first's change.
 */
export async function lockActiveAdmins(tx: Executor): Promise<string[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.state, 'active')))
    .orderBy(asc(users.id))
    .for('update');
  return rows.map((r) => r.id);
}

export async function updateUser(
  tx: Executor,
  id: string,
  patch: Partial<Pick<UserRow, 'role' | 'state' | 'stateReason' | 'stateChangedAt' | 'updatedAt'>>,
): Promise<UserRow> {
  const [u] = await tx.update(users).set(patch).where(eq(users.id, id)).returning();
  return u!;
}

export async function countUsers(db: Executor): Promise<number> {
  const [r] = await db.select({ n: count() }).from(users);
  return r?.n ?? 0;
}
