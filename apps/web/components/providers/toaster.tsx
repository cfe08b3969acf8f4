'use client';

import { Toaster as Sonner } from 'sonner';
import { useT } from '@/lib/i18n/i18n-provider';
import { useTheme } from '@/lib/theme/use-theme';

export function Toaster() {
  const { resolved } = useTheme();
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
