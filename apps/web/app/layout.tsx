import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { AppProviders } from '@/components/providers/app-providers';
import { dictionaries } from '@/lib/i18n/dictionaries';
import { getServerLocale } from '@/lib/i18n/server';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const dict = dictionaries[await getServerLocale()];
  return {
    title: { default: dict.common.appName, template: dict.meta.titleTemplate.replace('{page}', '%s') },
    description: dict.meta.description,
    applicationName: dict.common.appName,
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
  return (
    // next-themes' script sets the theme class on <html> before first paint, which React did not render;
    // without scripts the page stays dark, the product's default look.
    <html lang={locale} className="dark" suppressHydrationWarning>
      <body className="min-h-dvh antialiased">
        <AppProviders locale={locale} dictionary={dictionaries[locale]}>
          {children}
        </AppProviders>
      </body>
    </html>
  );
}
