import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { endSession, getAuthSnapshot, setSession } from '@/lib/auth/session-store';
import { backoffDelay, startLiveClient, type LiveMessage, type LiveStatus } from './live-client';

/** One stream the fake server holds open: the test writes frames into it and closes it. */
interface FakeStream {
  headers: Record<string, string>;
  write(text: string): void;
  close(): void;
  aborted: boolean;
}

const encoder = new TextEncoder();
let streams: FakeStream[];
let answers: (() => Response | null)[];

function fakeFetch(_url: string, init: RequestInit): Promise<Response> {
  const planned = answers.shift()?.();
  if (planned) return Promise.resolve(planned);
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const stream: FakeStream = {
    headers: init.headers as Record<string, string>,
    write: (text) => controller.enqueue(encoder.encode(text)),
    close: () => controller.close(),
    aborted: false,
  };
  init.signal?.addEventListener('abort', () => {
    stream.aborted = true;
    try {
      controller.error(new DOMException('aborted', 'AbortError'));
    } catch {}
  });
  streams.push(stream);
  return Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }));
}

function errorResponse(status: number, code: string) {
  return () =>
    new Response(JSON.stringify({ error: { code, message: code }, requestId: 'r' }), {
      status,
      headers: { 'content-type': 'application/json' },
    });
}

const hello = 'retry: 1000\nevent: hello\ndata: {"heartbeatSeconds":20}\n\n';

describe('startLiveClient', () => {
  let statuses: LiveStatus[];
  let messages: LiveMessage[];
  let stop: () => void;

  beforeEach(() => {
    vi.useFakeTimers();
    streams = [];
    answers = [];
    statuses = [];
    messages = [];
    vi.stubGlobal('fetch', vi.fn(fakeFetch));
    vi.stubGlobal('window', new EventTarget());
    vi.stubGlobal('document', Object.assign(new EventTarget(), { visibilityState: 'visible' }));
    setSession({
      accessToken: 'token-1',
      accessTokenExpiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
      user: { id: 'u1' },
    } as Parameters<typeof setSession>[0]);
    stop = startLiveClient({ onStatus: (s) => statuses.push(s), onMessage: (m) => messages.push(m) });
  });
  afterEach(() => {
    stop();
    endSession(null);
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  const settle = () => vi.advanceTimersByTimeAsync(0);

  it('opens the stream with the bearer token, goes live on hello and passes events on', async () => {
    await settle();
    expect(streams).toHaveLength(1);
    expect(streams[0]!.headers).toMatchObject({ accept: 'text/event-stream', authorization: 'Bearer token-1' });
    expect(statuses).toEqual(['connecting']);
    streams[0]!.write(hello);
    streams[0]!.write('event: balance\ndata: {"type":"balance"}\n\n');
    streams[0]!.write('event: vm\ndata: {"type":"vm","vmId":"nope"}\n\n');
    await settle();
    expect(statuses).toEqual(['connecting', 'live']);
    expect(messages.map((m) => m.type)).toEqual(['hello', 'balance', 'resync']);
  });

  it('reconnects at once when the server ends the stream for an expired token', async () => {
    await settle();
    streams[0]!.write(hello);
    streams[0]!.write('event: end\ndata: {"code":"TOKEN_EXPIRED","message":"refresh"}\n\n');
    await settle();
    expect(streams).toHaveLength(2);
    expect(statuses).toEqual(['connecting', 'live', 'reconnecting']);
    streams[1]!.write(hello);
    await settle();
    expect(statuses.at(-1)).toBe('live');
  });

  it('backs off after a drop, and reconnects when three heartbeats are missed', async () => {
    await settle();
    streams[0]!.write(hello);
    streams[0]!.close();
    await settle();
    expect(statuses.at(-1)).toBe('reconnecting');
    expect(streams).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(streams).toHaveLength(2);
    streams[1]!.write(hello);
    await vi.advanceTimersByTimeAsync(59_000);
    streams[1]!.write(': ping\n\n');
    await vi.advanceTimersByTimeAsync(59_000);
    expect(streams[1]!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(streams[1]!.aborted).toBe(true);
    expect(statuses.at(-1)).toBe('reconnecting');
  });

  it('drops the stream when the browser goes offline, and tries again as soon as it is back', async () => {
    await settle();
    streams[0]!.write(hello);
    await settle();
    window.dispatchEvent(new Event('offline'));
    await settle();
    expect(streams[0]!.aborted).toBe(true);
    expect(statuses.at(-1)).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(100);
    expect(streams).toHaveLength(1);
    window.dispatchEvent(new Event('online'));
    await settle();
    expect(streams).toHaveLength(2);
  });

  it('stops trying against an API without the stream; polling carries on', async () => {
    stop();
    answers.push(errorResponse(406, 'NOT_ACCEPTABLE'));
    statuses = [];
    stop = startLiveClient({ onStatus: (s) => statuses.push(s), onMessage: () => undefined });
    await settle();
    expect(statuses).toEqual(['connecting', 'off']);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('hands a session ended by the server to the usual handling, after a moment for a sign-out to land', async () => {
    await settle();
    streams[0]!.write(hello);
    answers.push(errorResponse(401, 'SESSION_REVOKED'));
    streams[0]!.write('event: end\ndata: {"code":"SESSION_REVOKED","message":"gone"}\n\n');
    await vi.advanceTimersByTimeAsync(900);
    expect(getAuthSnapshot().status).toBe('authenticated');
    await vi.advanceTimersByTimeAsync(200);
    expect(getAuthSnapshot()).toMatchObject({ status: 'anonymous', notice: { reason: 'revoked' } });
  });

  it('stop() aborts the open stream', async () => {
    await settle();
    stop();
    expect(streams[0]!.aborted).toBe(true);
  });
});

describe('backoffDelay', () => {
  it('doubles up to a ceiling, with jitter in its upper half', () => {
    expect(backoffDelay(0, 1000, () => 0)).toBe(500);
    expect(backoffDelay(0, 1000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, () => 0)).toBe(4000);
    expect(backoffDelay(20, 1000, () => 1)).toBe(30_000);
  });
});
