import { Ban, CirclePause, CirclePlay, ShieldMinus, ShieldPlus, Undo2, type LucideIcon } from 'lucide-react';
import type { UserActionKind } from '@/lib/api/admin-users';

export const actionIcon: Record<UserActionKind, LucideIcon> = {
  makeAdmin: ShieldPlus,
  makeUser: ShieldMinus,
  suspend: CirclePause,
  unsuspend: CirclePlay,
  ban: Ban,
  unban: Undo2,
};

/** Ban is the one action styled as destructive; suspension is reversible and common. */
export const isDestructive = (kind: UserActionKind): boolean => kind === 'ban';
