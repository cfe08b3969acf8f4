'use client';

import { QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { Locale } from '@/lib/i18n/config';
import { I18nProvider } from '@/lib/i18n/i18n-provider';
import { createQueryClient } from '@/lib/query-client';
import { AuthRuntime } from './auth-runtime';
import { ErrorReporter } from './error-reporter';
import { Toaster } from './toaster';

export function AppProviders({ locale, children }: { locale: Locale; children: ReactNode }) {
  // One client per browser tab; useState keeps it across re-renders.
  const [queryClient] = useState(createQueryClient);
  return (
    <I18nProvider initialLocale={locale}>
      <QueryClientProvider client={queryClient}>
        <AuthRuntime />
        <ErrorReporter />
        {children}
        <Toaster />
      </QueryClientProvider>
    </I18nProvider>
  );
}
