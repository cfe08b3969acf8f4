import { liveEndSchema, liveEventSchema, liveHelloSchema, paths, type LiveEvent } from '@uni-manager/contracts';
import { ApiError } from '@/lib/api/errors';
import { apiResponse } from '@/lib/api/http';
import { createSseParser, type SseFrame } from './sse-parser';

/**
 * `connecting` before the first `hello` of a visit (or after a pause), `live`
 * while the stream is open, `reconnecting` once it was lost or could not be
 * opened, `off` when there is no stream to wait for (paused in a hidden tab,
 * or the API has none).
 */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'off';

/**
 * What the cache needs to hear: the domain events as they come, `hello` with
 * the moment its request was sent (data fetched before then may have missed
 * events), and `resync`.
 */
export type LiveMessage = LiveEvent | { type: 'hello'; since: number } | { type: 'resync' };

export interface LiveClientOptions {
  onStatus(status: LiveStatus): void;
  onMessage(message: LiveMessage): void;
}

/** Until `hello` says otherwise: the API's heartbeat is a comment line every 20 s. */
const DEFAULT_HEARTBEAT_MS = 20_000;
/** Silence for this many heartbeats means the connection is dead even if no error says so. */
const MISSED_HEARTBEATS = 3;
/** The first reconnection's delay when the server gave no `retry:`. */
const DEFAULT_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;
/** Another tab or script holds too many streams for this account: step aside for a while. */
const CONFLICT_RETRY_MS = 60_000;
/**
 * A sign-out reaches the stream (ended by the server) a moment before its own
 * response reaches the tab that asked for it, or the other tabs: wait this
 * long so that the session ends as a sign-out, not as a revocation.
 */
const SESSION_END_GRACE_MS = 1_000;
/** A tab hidden this long closes its stream; it opens again, and refetches, when shown. */
const HIDDEN_PAUSE_MS = 5 * 60_000;

/** Codes with which the server ends a stream because the session may no longer read it. */
const SESSION_ENDING = new Set(['SESSION_REVOKED', 'ACCOUNT_SUSPENDED', 'ACCOUNT_BANNED', 'UNAUTHENTICATED']);

type Outcome = { kind: 'ended'; code: string } | { kind: 'closed' } | { kind: 'failed'; error: unknown };

/** Exponential backoff with equal jitter: never zero, never every tab at the same instant. */
export function backoffDelay(attempt: number, baseMs: number, random = Math.random): number {
  const ceiling = Math.min(MAX_RETRY_MS, baseMs * 2 ** Math.min(attempt, 10));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Reads `GET /me/stream` with fetch (EventSource cannot send the bearer
 * token) for as long as it runs, reconnecting with backoff. Requests go
 * through `apiResponse`, so an expired token is refreshed and a session that
 * is over is ended exactly as for any other call. Returns `stop`.
 */
export function startLiveClient({ onStatus, onMessage }: LiveClientOptions): () => void {
  const stopped = new AbortController();
  let current: AbortController | null = null;
  let wake: (() => void) | null = null;
  let hiddenTimer: ReturnType<typeof setTimeout> | undefined;
  let paused = false;
  let status: LiveStatus | null = null;
  let retryBaseMs = DEFAULT_RETRY_MS;

  const setStatus = (next: LiveStatus) => {
    if (next === status) return;
    status = next;
    onStatus(next);
  };

  /** Resolves after `ms`, or at once when woken (back online, tab shown) or stopped. */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake = null;
        stopped.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wake = done;
      stopped.signal.addEventListener('abort', done);
    });

  async function connectOnce(onLive: () => void): Promise<Outcome> {
    const ac = new AbortController();
    current = ac;
    const abortWith = () => ac.abort();
    stopped.signal.addEventListener('abort', abortWith);
    let heartbeatMs = DEFAULT_HEARTBEAT_MS;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    // Armed before the request too: a proxy that holds the request open without answering is also silence.
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => ac.abort(new Error('live stream silent')), heartbeatMs * MISSED_HEARTBEATS);
    };
    arm();
    const since = Date.now();
    // Set from the parser's callback, which control-flow analysis does not follow.
    let ended = null as string | null;
    try {
      const res = await apiResponse(paths.myStream, { accept: 'text/event-stream', signal: ac.signal });
      if (!res.body) return { kind: 'failed', error: new Error('streamed responses are not supported') };
      const parse = createSseParser({
        frame(frame: SseFrame) {
          const data = parseJson(frame.data);
          switch (frame.event) {
            case 'hello': {
              const hello = liveHelloSchema.safeParse(data);
              if (hello.success) heartbeatMs = hello.data.heartbeatSeconds * 1000;
              arm();
              onLive();
              onMessage({ type: 'hello', since });
              return;
            }
            case 'resync':
              onMessage({ type: 'resync' });
              return;
            case 'end': {
              const end = liveEndSchema.safeParse(data);
              ended = end.success ? end.data.code : 'UNKNOWN';
              return;
            }
            case 'vm':
            case 'balance':
            case 'server': {
              // One that does not fit our contract still says something changed: refetching is the safe reading.
              const event = liveEventSchema.safeParse(data);
              onMessage(event.success ? event.data : { type: 'resync' });
              return;
            }
            // Events a newer API may add are for newer clients.
          }
        },
        retry(ms) {
          retryBaseMs = Math.max(DEFAULT_RETRY_MS, Math.min(ms, MAX_RETRY_MS));
        },
      });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          arm();
          parse(value);
          if (ended !== null) break;
        }
      } finally {
        reader.cancel().catch(() => undefined);
      }
      return ended !== null ? { kind: 'ended', code: ended } : { kind: 'closed' };
    } catch (error) {
      return { kind: 'failed', error };
    } finally {
      clearTimeout(watchdog);
      stopped.signal.removeEventListener('abort', abortWith);
      ac.abort();
      current = null;
    }
  }

  async function run() {
    let attempt = 0;
    let wasLive = false;
    while (!stopped.signal.aborted) {
      if (paused) {
        setStatus('off');
        await sleep(HIDDEN_PAUSE_MS);
        continue;
      }
      setStatus(wasLive || attempt > 0 ? 'reconnecting' : 'connecting');
      const outcome = await connectOnce(() => {
        attempt = 0;
        wasLive = true;
        setStatus('live');
      });
      if (stopped.signal.aborted) break;
      if (paused) {
        // Closed on purpose: when the tab is shown again, a fresh `connecting`, not a `reconnecting`.
        wasLive = false;
        attempt = 0;
        continue;
      }
      let delay: number;
      if (outcome.kind === 'ended' && outcome.code === 'TOKEN_EXPIRED') {
        // apiResponse refreshes the token on the way back in.
        delay = 0;
      } else if (outcome.kind === 'ended' && SESSION_ENDING.has(outcome.code)) {
        // Asking again hands the server's answer (with an administrator's reason) to http.ts, which ends the session.
        delay = SESSION_END_GRACE_MS;
      } else if (outcome.kind === 'ended' && outcome.code === 'CONFLICT') {
        delay = backoffDelay(0, CONFLICT_RETRY_MS);
      } else if (outcome.kind === 'failed' && outcome.error instanceof ApiError) {
        const { status: httpStatus, retryAfterSeconds } = outcome.error;
        if (httpStatus === 404 || httpStatus === 406) {
          // An API without the stream: polling carries on alone.
          setStatus('off');
          return;
        }
        delay = retryAfterSeconds ? retryAfterSeconds * 1000 : backoffDelay(attempt++, retryBaseMs);
      } else {
        delay = backoffDelay(attempt++, retryBaseMs);
      }
      if (delay > 0) {
        setStatus('reconnecting');
        await sleep(delay);
      }
    }
  }

  const onOnline = () => wake?.();
  // The connection is gone even if its socket has not noticed yet (it would take the watchdog a minute).
  const onOffline = () => current?.abort();
  const onVisibility = () => {
    clearTimeout(hiddenTimer);
    if (document.visibilityState === 'hidden') {
      hiddenTimer = setTimeout(() => {
        paused = true;
        current?.abort();
      }, HIDDEN_PAUSE_MS);
    } else if (paused) {
      paused = false;
      wake?.();
    }
  };
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  document.addEventListener('visibilitychange', onVisibility);
  void run();

  return () => {
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    document.removeEventListener('visibilitychange', onVisibility);
    clearTimeout(hiddenTimer);
    stopped.abort();
  };
}
