'use client';

import { CircleAlert } from 'lucide-react';
import { describeError } from '@/lib/errors/describe';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { Button } from './button';

/** In-place error for a section whose data failed to load, with a way to try again. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t, dict } = useI18n();
  const { title, description } = describeError(error, t, dict);
  return (
    <div role="alert" className="flex flex-col items-center gap-2 px-6 py-10 text-center">
      <CircleAlert className="size-6 text-destructive" aria-hidden />
      <p className="text-sm font-medium">{t('common.loadFailed')}</p>
      <p className="max-w-md text-sm text-muted-foreground">{title}</p>
      {description ? <p className="text-xs text-muted-foreground">{description}</p> : null}
      <Button variant="outline" size="sm" className="mt-2" onClick={onRetry}>
        {t('common.retry')}
      </Button>
    </div>
  );
}
