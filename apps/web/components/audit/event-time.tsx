'use client';

import { useI18n } from '@/lib/i18n/i18n-provider';

/** A moment shown relatively ("2 hours ago") with the exact date on hover and for assistive tech. */
export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const { format } = useI18n();
  return (
    <time dateTime={iso} title={format.dateTime(iso)} className={className}>
      {format.relative(iso)}
    </time>
  );
}
