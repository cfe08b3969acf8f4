'use client';

import { useT } from '@/lib/i18n/i18n-provider';

/** First stop of the Tab key: jumps over the navigation to the page's own content. */
export function SkipLink({ target = 'main-content' }: { target?: string }) {
  const t = useT();
  return (
    <a
      href={`#${target}`}
      className="sr-only focus:not-sr-only focus:fixed focus:left-4 focus:top-3 focus:z-[60] focus:rounded-md focus:bg-primary focus:px-4 focus:py-2 focus:text-sm focus:font-medium focus:text-primary-foreground focus:shadow-lg"
    >
      {t('nav.skipToContent')}
    </a>
  );
}
