/** A reader of the live stream as a browser's fetch sees it, collecting every frame with when it arrived. */
export interface Frame {
  event: string;
  data: Record<string, unknown>;
  receivedAt: number;
}

export async function openStream(url: string, token: string) {
  const ac = new AbortController();
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: ac.signal,
  });
  if (res.status !== 200) throw new Error(`stream answered ${res.status}: ${await res.text()}`);
  const frames: Frame[] = [];
  let ended = false;
  const waiters: (() => void)[] = [];
  void (async () => {
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data)
            frames.push({ event, data: JSON.parse(data) as Record<string, unknown>, receivedAt: Date.now() });
          for (const w of waiters.splice(0)) w();
        }
      }
    } catch {
      // aborted, or the server went away
    }
    ended = true;
    for (const w of waiters.splice(0)) w();
  })();
  return {
    response: res,
    frames,
    get ended() {
      return ended;
    },
    /** Resolves with the first frame (already received or to come) that matches. */
    async waitFor(pred: (f: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const hit = frames.find(pred);
        if (hit) return hit;
        if (ended) throw new Error(`stream ended without it; got ${JSON.stringify(frames)}`);
        if (Date.now() > until) throw new Error(`timed out; got ${JSON.stringify(frames)}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
    /** Resolves once the server has closed the stream. */
    async waitEnded(timeoutMs = 5_000): Promise<void> {
      const until = Date.now() + timeoutMs;
      while (!ended) {
        if (Date.now() > until) throw new Error('the stream is still open');
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
    close: () => ac.abort(),
  };
}
