'use client';

import type { AccountState, Role } from '@uni-manager/contracts';
import { Ban, CircleCheck, CirclePause, Shield, User } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { useI18n } from '@/lib/i18n/i18n-provider';

const stateTone = { active: 'success', suspended: 'warning', banned: 'destructive' } as const;
const stateIcon = { active: CircleCheck, suspended: CirclePause, banned: Ban } as const;

export function StateBadge({ state }: { state: AccountState }) {
  const { dict } = useI18n();
  const Icon = stateIcon[state];
  return (
    <Badge tone={stateTone[state]} data-state={state}>
      <Icon aria-hidden />
      {dict.states[state]}
    </Badge>
  );
}

export function RoleBadge({ role }: { role: Role }) {
  const { dict } = useI18n();
  const Icon = role === 'admin' ? Shield : User;
  return (
    <Badge tone={role === 'admin' ? 'primary' : 'neutral'} data-role={role}>
      <Icon aria-hidden />
      {dict.roles[role]}
    </Badge>
  );
}
