'use client';

import { QueryClientProvider } from '@tanstack/react-query';
import { ThemeProvider } from 'next-themes';
import { useState, type ReactNode } from 'react';
import type { Locale } from '@/lib/i18n/config';
import type { Dictionary } from '@/lib/i18n/dictionaries';
import { I18nProvider } from '@/lib/i18n/i18n-provider';
import { createQueryClient } from '@/lib/query-client';
import { AuthRuntime } from './auth-runtime';
import { ErrorReporter } from './error-reporter';
import { Toaster } from './toaster';

/** Where the choice is remembered; the key our own theme store used, so nobody's choice is lost. */
const THEME_STORAGE_KEY = 'um_theme';

export function AppProviders({
  locale,
  dictionary,
  children,
}: {
  locale: Locale;
  dictionary: Dictionary;
  children: ReactNode;
}) {
  // One client per browser tab; useState keeps it across re-renders.
  const [queryClient] = useState(createQueryClient);
  return (
    // next-themes writes `dark` or `light` on <html> from an inline script before first paint
    // (globals.css keys its palettes on that class), follows the OS under "system" and other tabs.
    <ThemeProvider
      attribute="class"
      storageKey={THEME_STORAGE_KEY}
      defaultTheme="system"
      enableSystem
      disableTransitionOnChange
    >
      <I18nProvider locale={locale} messages={dictionary}>
        <QueryClientProvider client={queryClient}>
          <AuthRuntime />
          <ErrorReporter />
          {children}
          <Toaster />
        </QueryClientProvider>
      </I18nProvider>
    </ThemeProvider>
  );
}
