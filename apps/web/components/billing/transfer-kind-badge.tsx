'use client';

import type { TransferKind } from '@uni-manager/contracts';
import { CreditCard, Gauge, Gift, MinusCircle, RotateCcw, Sparkles, Undo2, type LucideIcon } from 'lucide-react';
import { Badge } from '@/components/ui/badge';

type Tone = 'neutral' | 'primary' | 'success' | 'warning' | 'info' | 'outline';

const kindVisual: Record<TransferKind, { icon: LucideIcon; tone: Tone }> = {
  initial: { icon: Sparkles, tone: 'info' },
  grant: { icon: Gift, tone: 'success' },
  deduction: { icon: MinusCircle, tone: 'warning' },
  usage: { icon: Gauge, tone: 'neutral' },
  payment: { icon: CreditCard, tone: 'primary' },
  refund: { icon: Undo2, tone: 'warning' },
  reversal: { icon: RotateCcw, tone: 'outline' },
};

/**
 * What kind of movement a transaction is: the same icon and tone everywhere,
 * in the words of whoever reads it (a user's credits page and the admin's
 * billing pages name the kinds differently).
 */
export function TransferKindBadge({ kind, label }: { kind: TransferKind; label: string }) {
  const { icon: Icon, tone } = kindVisual[kind];
  return (
    <Badge tone={tone} data-kind={kind}>
      <Icon aria-hidden />
      {label}
    </Badge>
  );
}
