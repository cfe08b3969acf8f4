'use client';

import { TriangleAlert } from 'lucide-react';
import Link from 'next/link';
import { useEffect } from 'react';
import { StatusPage } from '@/components/layout/status-page';
import { Button } from '@/components/ui/button';
import { useT } from '@/lib/i18n/i18n-provider';

export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  const t = useT();
  useEffect(() => {
    // Keeps the cause visible in the browser console for whoever reports the problem.
    console.error(error);
  }, [error]);
  const digest = error instanceof Error && 'digest' in error ? String(error.digest) : undefined;

  return (
    <StatusPage
      icon={TriangleAlert}
      code={digest ? t('errors.reference', { id: digest }) : undefined}
      title={t('errorPage.title')}
      description={t('errorPage.description')}
      actions={
        <>
          <Button onClick={() => retry()}>{t('errorPage.retry')}</Button>
          <Button variant="outline" asChild>
            <Link href="/dashboard">{t('errorPage.home')}</Link>
          </Button>
        </>
      }
    />
  );
}
