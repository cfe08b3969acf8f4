'use client';

import { useEffect } from 'react';
import { toast } from 'sonner';
import { describeError } from '@/lib/errors/describe';
import { setErrorReporter } from '@/lib/errors/report';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** Turns errors reported outside React (query caches, session runtime) into toasts in the current language. */
export function ErrorReporter() {
  const { t, dict } = useI18n();
  useEffect(() => {
    setErrorReporter((err) => {
      const { title, description } = describeError(err, t, dict);
      toast.error(title, { description });
    });
    return () => setErrorReporter(null);
  }, [t, dict]);
  return null;
}
