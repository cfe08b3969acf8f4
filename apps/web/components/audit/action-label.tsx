'use client';

import type { AuditAction } from '@uni-manager/contracts';
import { Badge } from '@/components/ui/badge';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { actionStyle } from './action-style';

/** The translated action, with the raw action name kept for copy-paste and search. */
export function ActionBadge({ action }: { action: AuditAction }) {
  const { dict } = useI18n();
  const { icon: Icon, tone } = actionStyle[action];
  return (
    <Badge tone={tone} title={action} data-action={action}>
      <Icon aria-hidden />
      {dict.auditActions[action]}
    </Badge>
  );
}
