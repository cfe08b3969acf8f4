import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { AppProviders } from '@/components/providers/app-providers';
import { getMessages, getTranslations } from 'next-intl/server';
import { getServerLocale } from '@/lib/i18n/server';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations();
  return {
    title: { default: t('common.appName'), template: t('meta.titleTemplate', { page: '%s' }) },
    description: t('meta.description'),
    applicationName: t('common.appName'),
    robots: { index: false, follow: false },
  };
}

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: dark)', color: '#111318' },
    { media: '(prefers-color-scheme: light)', color: '#fafbfc' },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getServerLocale();
  // The reader's messages only: they reach the browser with the page, as data rather than JavaScript.
  const messages = await getMessages();
  return (
    // next-themes' script sets the theme class on <html> before first paint, which React did not render;
    // without scripts the page stays dark, the product's default look.
    <html lang={locale} className="dark" suppressHydrationWarning>
      <body className="min-h-dvh antialiased">
        <AppProviders locale={locale} dictionary={messages}>
          {children}
        </AppProviders>
      </body>
    </html>
  );
}
