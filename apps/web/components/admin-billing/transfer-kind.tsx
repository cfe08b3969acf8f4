'use client';

import type { TransferKind } from '@uni-manager/contracts';
import { CreditCard, Gauge, Gift, MinusCircle, RotateCcw, Sparkles, Undo2, type LucideIcon } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { useI18n } from '@/lib/i18n/i18n-provider';

const kindVisual: Record<
  TransferKind,
  { icon: LucideIcon; tone: 'neutral' | 'primary' | 'success' | 'warning' | 'info' | 'outline' }
> = {
  initial: { icon: Sparkles, tone: 'info' },
  grant: { icon: Gift, tone: 'success' },
  deduction: { icon: MinusCircle, tone: 'warning' },
  usage: { icon: Gauge, tone: 'neutral' },
  payment: { icon: CreditCard, tone: 'primary' },
  refund: { icon: Undo2, tone: 'warning' },
  reversal: { icon: RotateCcw, tone: 'outline' },
};

/** What kind of movement a transaction is, by word and icon. */
export function TransferKindBadge({ kind }: { kind: TransferKind }) {
  const { dict } = useI18n();
  const { icon: Icon, tone } = kindVisual[kind];
  return (
    <Badge tone={tone} data-kind={kind}>
      <Icon aria-hidden />
      {dict.adminBilling.kinds[kind]}
    </Badge>
  );
}
