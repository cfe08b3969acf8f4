'use client';

import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { useAuth } from '@/lib/auth/use-auth';
import { createLiveCacheSync } from './live-cache';
import { startLiveClient, type LiveStatus } from './live-client';

/** Outside the provider (signed-out pages) there is no stream: everything polls as it always did. */
const LiveStatusContext = createContext<LiveStatus>('off');

/**
 * Keeps the signed-in user's live stream open (mounted once, around the
 * console's pages) and the query cache up to date from it. The stream opens
 * with a session and closes when it ends or another user signs in.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const { status: auth, user } = useAuth();
  const userId = auth === 'authenticated' ? (user?.id ?? null) : null;
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    if (!userId) return;
    const sync = createLiveCacheSync(queryClient);
    const stop = startLiveClient({ onStatus: setStatus, onMessage: sync.apply });
    return () => {
      stop();
      sync.dispose();
      setStatus('connecting');
    };
  }, [queryClient, userId]);

  return <LiveStatusContext value={userId ? status : 'off'}>{children}</LiveStatusContext>;
}

export function useLiveStatus(): LiveStatus {
  return useContext(LiveStatusContext);
}

/**
 * While the stream is live, data it keeps fresh needs no polling, or only a
 * slow safety poll for what no event announces (a guest that powered itself
 * off, usage that accrues by the second).
 */
export const LIVE_SAFETY_POLL_MS = 60_000;

/**
 * Polling as the stream's fallback: `poll(ms)` is `ms` while the stream is not
 * live and `whenLive` (no polling by default) while it is. For a query's
 * `refetchInterval`, either directly or inside its function form.
 */
export function useFallbackPoll(): (ms: number | false, whenLive?: number | false) => number | false {
  const live = useLiveStatus() === 'live';
  return useCallback((ms, whenLive = false) => (live ? whenLive : ms), [live]);
}
