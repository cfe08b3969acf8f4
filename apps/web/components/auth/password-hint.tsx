'use client';

import { PASSWORD_MIN_LENGTH } from '@uni-manager/contracts';
import { Check, Circle, ShieldCheck } from 'lucide-react';
import { useT } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';

/**
 * The server refuses short and common passwords; saying so up front avoids a
 * round trip. Only the length can be checked here: the common-password list
 * stays on the server.
 */
export function PasswordHint({ password }: { password: string }) {
  const t = useT();
  const count = Array.from(password).length;
  const longEnough = count >= PASSWORD_MIN_LENGTH;
  return (
    <div className="space-y-1.5">
      <p>{t('auth.passwordHint.title')}</p>
      <ul className="space-y-1">
        <li className={cn('flex items-start gap-2', longEnough && 'text-success')}>
          {longEnough ? (
            <Check className="mt-0.5 size-3.5 shrink-0" aria-hidden />
          ) : (
            <Circle className="mt-0.5 size-3.5 shrink-0" aria-hidden />
          )}
          <span>{t('auth.passwordHint.length', { min: PASSWORD_MIN_LENGTH, count })}</span>
        </li>
        <li className="flex items-start gap-2">
          <ShieldCheck className="mt-0.5 size-3.5 shrink-0" aria-hidden />
          <span>{t('auth.passwordHint.common')}</span>
        </li>
      </ul>
    </div>
  );
}
