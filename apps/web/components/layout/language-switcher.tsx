'use client';

import { Languages } from 'lucide-react';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { isLocale, localeNames, locales } from '@/lib/i18n/config';
import { useI18n } from '@/lib/i18n/i18n-provider';

export function LanguageSwitcher() {
  const { locale, setLocale, t } = useI18n();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          size="sm"
          className="h-9 gap-1.5 px-2.5"
          aria-label={`${t('topbar.language')}: ${localeNames[locale]}`}
          data-testid="language-switcher"
        >
          <Languages aria-hidden />
          <span className="text-xs font-semibold uppercase tracking-wide">{locale}</span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent className="min-w-40">
        <DropdownMenuLabel>{t('topbar.language')}</DropdownMenuLabel>
        <DropdownMenuRadioGroup value={locale} onValueChange={(value) => isLocale(value) && setLocale(value)}>
          {locales.map((code) => (
            // lang lets screen readers pronounce each language's own name correctly.
            <DropdownMenuRadioItem key={code} value={code} lang={code} data-testid={`locale-${code}`}>
              {localeNames[code]}
            </DropdownMenuRadioItem>
          ))}
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
