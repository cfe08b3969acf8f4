import type { Role } from '@uni-manager/contracts';
import type { BusMessage, EventBus, LiveAudience } from '../../lib/bus/bus.js';
import type { Logger } from '../../lib/logger.js';
import { AppError } from '../../lib/errors.js';

/** One open stream: where to write, and who is reading. */
export interface LiveConnection {
  userId: string;
  sessionId: string;
  role: Role;
  /** Writes one SSE frame; false when the socket's buffer is full. */
  write(frame: string): boolean;
  close(): void;
  /** True once a frame was dropped for a slow reader; cleared when `resync` is sent. */
  lagging: boolean;
}

export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * This instance's open streams, fed from the bus. Every event is checked
 * against its audience for each connection: a user only ever receives events
 * naming them, an administrator also those meant for administrators. When a
 * user's rights change (the same bus message that clears the principal cache)
 * each of their streams is authorised again, and closed if it no longer may be.
 */
export function createLiveHub(deps: {
  bus: EventBus;
  logger: Logger;
  /** Re-checks a stream's session; throws the AppError a request would get. */
  recheck(c: LiveConnection): Promise<{ role: Role }>;
  maxPerUser?: number;
}) {
  const byUser = new Map<string, Set<LiveConnection>>();
  const admins = new Set<LiveConnection>();
  const maxPerUser = deps.maxPerUser ?? 8;

  function deliver(c: LiveConnection, event: { type: string }) {
    if (c.lagging) return;
    if (!c.write(sseFrame(event.type, event))) c.lagging = true;
  }

  function dispatch(audience: LiveAudience, event: { type: string }) {
    const sent = new Set<LiveConnection>();
    const to = (c: LiveConnection) => {
      if (sent.has(c)) return;
      sent.add(c);
      deliver(c, event);
    };
    if (audience.everyone) for (const set of byUser.values()) for (const c of set) to(c);
    for (const id of audience.userIds ?? []) for (const c of byUser.get(id) ?? []) to(c);
    if (audience.admins) for (const c of admins) if (c.role === 'admin') to(c);
  }

  async function recheckUser(userId: string) {
    for (const c of [...(byUser.get(userId) ?? [])]) {
      try {
        const { role } = await deps.recheck(c);
        if (role !== c.role) {
          c.role = role;
          if (role === 'admin') admins.add(c);
          else admins.delete(c);
        }
      } catch (e) {
        const err = e instanceof AppError ? e : new AppError('UNAUTHENTICATED', 'Sign in to continue');
        // The same details a request would get (a suspension's reason, say), so the page can say why at once.
        c.write(sseFrame('end', { code: err.code, message: err.message, details: err.details ?? null }));
        remove(c);
        c.close();
      }
    }
  }

  function remove(c: LiveConnection) {
    const set = byUser.get(c.userId);
    set?.delete(c);
    if (set?.size === 0) byUser.delete(c.userId);
    admins.delete(c);
  }

  const unsubscribe = deps.bus.subscribe((m: BusMessage) => {
    if (m.type === 'live') dispatch(m.audience, m.event);
    else if (m.type === 'principal.invalidate') {
      recheckUser(m.userId).catch((err: unknown) => deps.logger.warn({ err }, 'live: re-checking streams failed'));
    }
  });
  // Events published while the bus was down never arrived: every reader refetches.
  const unResync = deps.bus.onResync(() => {
    for (const set of byUser.values()) for (const c of set) c.write(sseFrame('resync', {}));
  });

  return {
    add(c: LiveConnection) {
      let set = byUser.get(c.userId);
      if (!set) byUser.set(c.userId, (set = new Set()));
      // Bounded per user: a tab left open in many windows, or a script in a loop, cannot pile them up.
      while (set.size >= maxPerUser) {
        const oldest = set.values().next().value!;
        oldest.write(
          sseFrame('end', {
            code: 'CONFLICT',
            message: 'Too many live streams for this account',
            details: { retryAfterSeconds: 60 },
          }),
        );
        remove(oldest);
        oldest.close();
      }
      set.add(c);
      if (c.role === 'admin') admins.add(c);
    },
    remove,
    /** A slow reader caught up: tell it to refetch what it missed. */
    drained(c: LiveConnection) {
      if (!c.lagging) return;
      c.lagging = false;
      c.write(sseFrame('resync', {}));
    },
    size: () => [...byUser.values()].reduce((n, s) => n + s.size, 0),
    close() {
      unsubscribe();
      unResync();
      for (const set of byUser.values()) for (const c of set) c.close();
      byUser.clear();
      admins.clear();
    },
  };
}
export type LiveHub = ReturnType<typeof createLiveHub>;
