'use client';

import type { ReactNode } from 'react';
import { Brand } from '@/components/layout/brand';
import { LanguageSwitcher } from '@/components/layout/language-switcher';
import { SkipLink } from '@/components/layout/skip-link';
import { ThemeToggle } from '@/components/layout/theme-toggle';
import { useT } from '@/lib/i18n/i18n-provider';
import { AuthBackdrop } from './auth-backdrop';

export function AuthLayout({ children }: { children: ReactNode }) {
  const t = useT();
  return (
    <div className="grid min-h-dvh lg:grid-cols-[minmax(0,5fr)_minmax(0,6fr)]">
      <SkipLink target="auth-main" />
      <aside className="relative hidden overflow-hidden border-r border-sidebar-border bg-sidebar lg:flex lg:flex-col lg:justify-between lg:p-10 lg:pb-16">
        <AuthBackdrop />
        <Brand className="relative text-lg" />
        <div className="relative max-w-md space-y-4">
          <p className="text-3xl font-semibold leading-tight tracking-tight text-balance">{t('common.tagline')}</p>
          <p className="text-sm text-muted-foreground">{t('auth.panel')}</p>
        </div>
      </aside>
      <div className="flex min-w-0 flex-col">
        <div className="flex h-16 items-center justify-between gap-2 px-4 sm:px-6">
          <Brand className="lg:invisible" />
          <div className="flex items-center gap-1">
            <LanguageSwitcher />
            <ThemeToggle />
          </div>
        </div>
        <main
          id="auth-main"
          tabIndex={-1}
          className="flex flex-1 items-start justify-center px-4 pb-16 pt-6 focus:outline-none sm:items-center sm:pt-0"
        >
          <div className="w-full max-w-[25rem]">{children}</div>
        </main>
      </div>
    </div>
  );
}
