'use client';

import { RefreshCw } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useT } from '@/lib/i18n/i18n-provider';
import { useLiveStatus } from '@/lib/live/live-provider';

/**
 * A drop shorter than this (the stream renewed with a fresh token, a blip of
 * the network) is not worth a word: the pages already poll meanwhile.
 */
const SHOW_AFTER_MS = 2_000;

/**
 * Says that live updates are interrupted, while they are. The status region
 * is always there, empty while live, so that screen readers announce the
 * text when it appears.
 */
export function LiveIndicator() {
  const t = useT();
  const status = useLiveStatus();
  const down = status === 'reconnecting';
  const [late, setLate] = useState(false);

  useEffect(() => {
    if (!down) return;
    const timer = setTimeout(() => setLate(true), SHOW_AFTER_MS);
    return () => {
      clearTimeout(timer);
      setLate(false);
    };
  }, [down]);

  const shown = down && late;
  return (
    <div role="status" data-testid="live-status" data-status={status} className="flex items-center">
      {shown ? (
        <span
          className="inline-flex items-center gap-1.5 rounded-full border border-warning/30 bg-warning/12 px-2 py-1 text-xs font-medium text-warning"
          title={t('topbar.reconnecting')}
          data-testid="live-reconnecting"
        >
          <RefreshCw className="size-3.5 shrink-0 animate-spin motion-reduce:animate-none" aria-hidden />
          <span className="sr-only sm:not-sr-only">{t('topbar.reconnecting')}</span>
        </span>
      ) : null}
    </div>
  );
}
