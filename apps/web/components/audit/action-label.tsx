'use client';

import type { AuditEvent } from '@uni-manager/contracts';
import { Badge } from '@/components/ui/badge';
import { actionStyle } from './action-style';
import { useActionLabel } from './event-names';

/** The translated action (naming the VM operation when there is one), with the raw action name kept for copy-paste and search. */
export function ActionBadge({ event }: { event: Pick<AuditEvent, 'action' | 'details'> }) {
  const label = useActionLabel();
  const { icon: Icon, tone } = actionStyle[event.action];
  return (
    <Badge tone={tone} title={event.action} data-action={event.action}>
      <Icon aria-hidden />
      {label(event)}
    </Badge>
  );
}
