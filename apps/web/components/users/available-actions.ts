import type { AdminUser } from '@uni-manager/contracts';
import type { UserActionKind } from '@/lib/api/admin-users';

/** The moderation actions that make sense for a user in their current role and state. */
export function availableActions(user: Pick<AdminUser, 'role' | 'state'>): UserActionKind[] {
  const actions: UserActionKind[] = [user.role === 'admin' ? 'makeUser' : 'makeAdmin'];
  if (user.state === 'active') actions.push('suspend', 'ban');
  if (user.state === 'suspended') actions.push('unsuspend', 'ban');
  if (user.state === 'banned') actions.push('unban');
  return actions;
}

export const needsReason = (kind: UserActionKind): kind is 'suspend' | 'ban' => kind === 'suspend' || kind === 'ban';
