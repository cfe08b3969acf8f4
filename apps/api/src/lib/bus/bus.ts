import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/**
 * What instances tell each other. Small and self-contained: a receiver never
 * trusts more than the ids it names, and reads anything else it shows from
 * the database under its own receiver's rights.
 */
export type BusMessage =
  /** Forget the cached principal of every session of this user: their rights just changed. */
  | { type: 'principal.invalidate'; userId: string }
  /** A live event for the browsers connected to any instance (see modules/live). */
  | { type: 'live'; audience: LiveAudience; event: Record<string, unknown> & { type: string } };

/** Who may receive a live event: the users named, administrators, or every signed-in user (each about themself). */
export interface LiveAudience {
  userIds?: string[];
  admins?: boolean;
  everyone?: boolean;
}

export interface EventBus {
  /** Delivered to this instance's subscribers at once, and to every other instance's through Redis. */
  publish(message: BusMessage): Promise<void>;
  subscribe(fn: (message: BusMessage) => void): () => void;
  /**
   * False while messages from other instances may be missed (the Redis
   * subscription is down). Caches that rely on invalidation must not be
   * trusted then; `onResync` fires when it is back, so they can start over.
   */
  readonly reliable: boolean;
  onResync(fn: () => void): () => void;
  close(): Promise<void>;
}

/** The embedded default: one process, so delivery is a function call. */
export function createMemoryBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(message) {
      emitter.emit('message', message);
    },
    subscribe(fn) {
      emitter.on('message', fn);
      return () => emitter.off('message', fn);
    },
    reliable: true,
    onResync: () => () => {},
    async close() {
      emitter.removeAllListeners();
    },
  };
}

/**
 * Redis pub/sub on one channel. A subscriber needs a connection of its own
 * (a subscribed connection can do nothing else); publishing uses the shared
 * one. Local subscribers get a message synchronously, before PUBLISH is even
 * sent, and ignore its echo, so an instance never depends on Redis to hear
 * itself.
 */
export async function createRedisBus(opts: { redis: Redis; prefix: string; logger: Logger }): Promise<EventBus> {
  const channel = `${opts.prefix}bus`;
  const origin = randomBytes(8).toString('hex');
  const local = createMemoryBus();
  const resync = new EventEmitter();
  const sub = opts.redis.duplicate({ lazyConnect: true, enableOfflineQueue: true, maxRetriesPerRequest: null });
  let reliable = false;
  let closing = false;

  sub.on('error', () => {}); // reported through 'close' and the readiness check
  sub.on('close', () => {
    if (reliable && !closing)
      opts.logger.warn('live bus: lost the Redis subscription; caches bypassed until it is back');
    reliable = false;
  });
  sub.on('ready', () => {
    // ioredis re-subscribes on reconnect before 'ready'; anything sent in between was missed.
    if (!reliable) resync.emit('resync');
    reliable = true;
  });
  sub.on('message', (_channel: string, raw: string) => {
    let parsed: { origin: string; message: BusMessage };
    try {
      parsed = JSON.parse(raw) as { origin: string; message: BusMessage };
    } catch {
      return;
    }
    if (parsed.origin === origin) return;
    void local.publish(parsed.message);
  });
  await sub.connect();
  await sub.subscribe(channel);
  reliable = true;

  return {
    async publish(message) {
      await local.publish(message);
      try {
        await opts.redis.publish(channel, JSON.stringify({ origin, message }));
      } catch (err) {
        // Other instances miss it; their own subscription is likely down too, which bypasses their caches.
        opts.logger.warn({ err, type: message.type }, 'live bus: could not publish to other instances');
      }
    },
    subscribe: (fn) => local.subscribe(fn),
    get reliable() {
      return reliable;
    },
    onResync(fn) {
      resync.on('resync', fn);
      return () => resync.off('resync', fn);
    },
    async close() {
      closing = true;
      reliable = false;
      await local.close();
      sub.disconnect();
    },
  };
}
