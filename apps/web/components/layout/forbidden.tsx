'use client';

import { ShieldAlert } from 'lucide-react';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { useT } from '@/lib/i18n/i18n-provider';

export function Forbidden() {
  const t = useT();
  return (
    <div className="mx-auto flex max-w-md flex-col items-center py-16 text-center" data-testid="forbidden">
      <div className="mb-5 flex size-14 items-center justify-center rounded-full border border-destructive/30 bg-destructive/10">
        <ShieldAlert className="size-6 text-destructive" aria-hidden />
      </div>
      <p className="text-sm font-medium text-muted-foreground">{t('forbidden.code')}</p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight">{t('forbidden.title')}</h1>
      <p className="mt-3 text-sm text-muted-foreground">{t('forbidden.description')}</p>
      <Button asChild className="mt-6">
        <Link href="/dashboard">{t('forbidden.back')}</Link>
      </Button>
    </div>
  );
}
