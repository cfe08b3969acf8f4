'use client';

import { LoaderCircle } from 'lucide-react';
import { useT } from '@/lib/i18n/i18n-provider';
import { BrandMark } from './brand';

/** Shown while the session is restored from the refresh cookie, usually for a blink. */
export function FullPageLoader() {
  const t = useT();
  return (
    <div className="flex min-h-dvh flex-col items-center justify-center gap-4" role="status" aria-live="polite">
      <BrandMark className="size-10 animate-pulse" />
      <span className="flex items-center gap-2 text-sm text-muted-foreground">
        <LoaderCircle className="size-4 animate-spin" aria-hidden />
        {t('common.loading')}
      </span>
    </div>
  );
}
