'use client';

import { useQuery } from '@tanstack/react-query';
import { fetchBillingSettings } from '@/lib/api/admin-billing';
import { fetchMyBalance } from '@/lib/api/credits';
import { queryKeys } from '@/lib/api/query-keys';
import { LIVE_SAFETY_POLL_MS, useFallbackPoll } from '@/lib/live/live-provider';

/** The balance moves with every running VM: looked at again about as often as other live data. */
export const BALANCE_REFRESH_MS = 30_000;

/**
 * The caller's balance, polled. The banner in the console frame keeps one
 * subscriber alive on every page, so the dashboard and the credits page read
 * the same cached answer instead of asking again.
 */
export function useBalance() {
  const poll = useFallbackPoll();
  return useQuery({
    queryKey: queryKeys.myBalance,
    queryFn: ({ signal }) => fetchMyBalance(signal),
    refetchInterval: poll(BALANCE_REFRESH_MS, LIVE_SAFETY_POLL_MS),
  });
}

/** The platform's billing configuration: the same for everyone and rarely changed. */
export function useBillingSettings() {
  return useQuery({
    queryKey: queryKeys.billingSettings,
    queryFn: ({ signal }) => fetchBillingSettings(signal),
    staleTime: 5 * 60_000,
  });
}
