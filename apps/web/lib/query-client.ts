import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '@/lib/api/errors';
import { refreshSession } from '@/lib/auth/refresh';
import { reportError } from '@/lib/errors/report';

declare module '@tanstack/react-query' {
  interface Register {
    queryMeta: { silent?: boolean };
    /** `silent` for forms and dialogs that show their errors beside the inputs instead of a toast. */
    mutationMeta: { silent?: boolean };
  }
}

function shouldRetry(failureCount: number, error: unknown): boolean {
  // Only failures that may heal by themselves; a 4xx will answer the same again.
  if (!(error instanceof ApiError)) return false;
  const transient =
    error.code === 'NETWORK_ERROR' || error.status === 502 || error.status === 503 || error.status === 504;
  return transient && failureCount < 2;
}

/**
 * A FORBIDDEN answer usually means the user's role changed since the session
 * began (an admin was demoted): a refresh brings the current role, and the
 * guards then show the right pages.
 */
function followRoleChange(error: unknown): void {
  if (error instanceof ApiError && error.code === 'FORBIDDEN') refreshSession().catch(() => undefined);
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError(error, query) {
        followRoleChange(error);
        // A first load that fails shows its own error state in place; only a
        // failed background refresh of data already on screen needs a toast.
        if (query.meta?.silent || query.state.data === undefined) return;
        reportError(error);
      },
    }),
    mutationCache: new MutationCache({
      onError(error, _variables, _context, mutation) {
        followRoleChange(error);
        if (!mutation.meta?.silent) reportError(error);
      },
    }),
    defaultOptions: {
      queries: { staleTime: 30_000, retry: shouldRetry, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}
