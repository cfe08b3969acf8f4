'use client';

import { useQueryClient } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { queryKeys } from '@/lib/api/query-keys';
import { useT } from '@/lib/i18n/i18n-provider';
import { useMoney } from './money';

type Outcome = 'success' | 'cancelled';

/** How long after a paid checkout to keep looking for the credits: the provider tells the API on its own time. */
const WATCH_MS = 60_000;
const WATCH_EVERY_MS = 5_000;

/**
 * The payment provider sends the browser back with ?checkout=success or
 * ?checkout=cancelled. Says what happened, and after a payment looks at the
 * balance a few times, since the credits arrive when the provider's
 * notification does, not with the browser.
 */
export function CheckoutReturnNotice() {
  const t = useT();
  const money = useMoney();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const queryClient = useQueryClient();
  const raw = params.get('checkout');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  if (raw === 'success' || raw === 'cancelled') {
    if (outcome !== raw) setOutcome(raw);
  }

  useEffect(() => {
    if (raw !== 'success' && raw !== 'cancelled') return;
    // Taken out of the address so a reload or a shared link does not announce it again.
    const rest = new URLSearchParams(params.toString());
    rest.delete('checkout');
    rest.delete('session_id');
    const qs = rest.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  }, [raw, params, pathname, router]);

  useEffect(() => {
    if (outcome !== 'success') return;
    const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.credits });
    refresh();
    const timer = setInterval(refresh, WATCH_EVERY_MS);
    const stop = setTimeout(() => clearInterval(timer), WATCH_MS);
    return () => {
      clearInterval(timer);
      clearTimeout(stop);
    };
  }, [outcome, queryClient]);

  if (!outcome) return null;
  return (
    <Alert
      tone={outcome === 'success' ? 'info' : 'warning'}
      className="mb-6"
      data-testid="checkout-notice"
      data-outcome={outcome}
    >
      <div className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2">
        <div>
          <p className="font-medium">{t(`credits.checkout.${outcome}Title`)}</p>
          <p className="mt-0.5 text-muted-foreground">{t(`credits.checkout.${outcome}`, { unit: money.unit })}</p>
        </div>
        <Button variant="ghost" size="sm" onClick={() => setOutcome(null)}>
          {t('common.close')}
        </Button>
      </div>
    </Alert>
  );
}
