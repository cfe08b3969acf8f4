import type { AccountState, Role } from '@uni-manager/contracts';
import type { EventBus } from '../../lib/bus/bus.js';

/** What a request needs to know about its session's user; everything else is read when a route needs it. */
export interface Principal {
  sessionId: string;
  userId: string;
  email: string;
  role: Role;
  state: AccountState;
  stateReason: string | null;
  revokedAt: Date | null;
}

/**
 * Signed-in principals, kept a few seconds so a page of requests does not
 * read the session and user rows each time. Anything that changes a user's
 * rights (role, suspension, ban, password, a session signed out) calls
 * `invalidateUser` after committing: the entry goes on this instance at once
 * and on every other one through the bus, before the response that reports
 * the change is sent. While the bus may be missing messages the cache is not
 * used at all, and it starts empty again when the bus is back.
 */
export function createPrincipalCache(opts: { ttlMs: number; bus: EventBus; now?: () => number }) {
  const now = opts.now ?? Date.now;
  const entries = new Map<string, { p: Principal; until: number }>();
  const byUser = new Map<string, Set<string>>();
  const MAX = 50_000;

  function drop(userId: string) {
    const sessions = byUser.get(userId);
    if (!sessions) return;
    for (const s of sessions) entries.delete(s);
    byUser.delete(userId);
  }
  function clear() {
    entries.clear();
    byUser.clear();
  }
  opts.bus.subscribe((m) => {
    if (m.type === 'principal.invalidate') drop(m.userId);
  });
  opts.bus.onResync(clear);

  return {
    get(sessionId: string): Principal | null {
      if (opts.ttlMs <= 0 || !opts.bus.reliable) return null;
      const e = entries.get(sessionId);
      if (!e) return null;
      if (e.until <= now()) {
        entries.delete(sessionId);
        return null;
      }
      return e.p;
    },
    set(p: Principal) {
      if (opts.ttlMs <= 0 || !opts.bus.reliable) return;
      // Bounded: a flood of distinct sessions costs database reads, not memory.
      if (entries.size >= MAX) clear();
      entries.set(p.sessionId, { p, until: now() + opts.ttlMs });
      let s = byUser.get(p.userId);
      if (!s) byUser.set(p.userId, (s = new Set()));
      s.add(p.sessionId);
    },
    /** After the change has committed: every instance forgets this user's sessions. */
    invalidateUser: (userId: string) => opts.bus.publish({ type: 'principal.invalidate', userId }),
  };
}
export type PrincipalCache = ReturnType<typeof createPrincipalCache>;
