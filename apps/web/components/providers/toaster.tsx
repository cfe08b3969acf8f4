'use client';

import { useTheme } from 'next-themes';
import { Toaster as Sonner } from 'sonner';
import { useT } from '@/lib/i18n/i18n-provider';

export function Toaster() {
  // Unknown until the theme provider has read the page (the product's default is dark).
  const resolved = useTheme().resolvedTheme === 'light' ? 'light' : 'dark';
  const t = useT();
  return (
    <Sonner
      theme={resolved}
      position="bottom-right"
      closeButton
      richColors
      containerAriaLabel={t('common.notifications')}
      toastOptions={{ closeButtonAriaLabel: t('common.close'), classNames: { toast: 'font-sans' } }}
    />
  );
}
