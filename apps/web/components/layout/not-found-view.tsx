'use client';

import { FileQuestion } from 'lucide-react';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { useT } from '@/lib/i18n/i18n-provider';
import { StatusPage } from './status-page';

export function NotFoundView() {
  const t = useT();
  return (
    <StatusPage
      icon={FileQuestion}
      code={t('notFound.code')}
      title={t('notFound.title')}
      description={t('notFound.description')}
      actions={
        <Button asChild>
          <Link href="/dashboard">{t('notFound.back')}</Link>
        </Button>
      }
    />
  );
}
