'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { startAuthRuntime } from '@/lib/auth/runtime';
import { useAuth } from '@/lib/auth/use-auth';

export function AuthRuntime() {
  const queryClient = useQueryClient();
  const { status } = useAuth();

  useEffect(() => startAuthRuntime(), []);

  useEffect(() => {
    // Nothing fetched for the previous user may be shown to the next one.
    if (status === 'anonymous') queryClient.clear();
  }, [status, queryClient]);

  return null;
}
