'use client';

import { useI18n } from '@/lib/i18n/i18n-provider';
import { useNow } from '@/lib/use-now';

/**
 * A moment shown relatively ("2 hours ago") with the exact date on hover and for assistive tech;
 * it keeps counting on the shared clock ("5 seconds ago" becomes "6 seconds ago").
 */
export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const { format } = useI18n();
  const now = useNow();
  return (
    <time dateTime={iso} title={format.dateTime(iso)} className={className}>
      {format.relative(iso, now)}
    </time>
  );
}
