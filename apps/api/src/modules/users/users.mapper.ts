import type { AdminUser, User } from '@uni-manager/contracts';
import type { UserRow } from '../../db/schema/index.js';

export function toUser(r: UserRow): User {
  return {
    id: r.id,
    email: r.email,
    displayName: r.displayName,
    role: r.role,
    state: r.state,
    createdAt: r.createdAt.toISOString(),
    lastLoginAt: r.lastLoginAt?.toISOString() ?? null,
  };
}

export function toAdminUser(
  r: UserRow,
  extra: { activeSessions: number; balance: string | number | null; vmCount: number },
): AdminUser {
  return {
    ...toUser(r),
    stateReason: r.stateReason,
    stateChangedAt: r.stateChangedAt?.toISOString() ?? null,
    updatedAt: r.updatedAt.toISOString(),
    activeSessions: extra.activeSessions,
    balance: Number(extra.balance ?? 0),
    creditLimit: r.creditLimit,
    billingExempt: r.billingExempt,
    vmCount: extra.vmCount,
  };
}
