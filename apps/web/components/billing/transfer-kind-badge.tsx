'use client';

import type { TransferKind } from '@uni-manager/contracts';
import { CreditCard, Gauge, Gift, MinusCircle, RotateCcw, Sparkles, Undo2, type LucideIcon } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { useT } from '@/lib/i18n/i18n-provider';

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

/** What kind of movement a transaction is, in the words its owner reads. */
export function TransferKindBadge({ kind }: { kind: TransferKind }) {
  const t = useT();
  const { icon: Icon, tone } = kindVisual[kind];
  return (
    <Badge tone={tone} data-kind={kind}>
      <Icon aria-hidden />
      {t(`credits.kinds.${kind}`)}
    </Badge>
  );
}
