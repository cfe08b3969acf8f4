import { describe, expect, it } from 'vitest';
import { createSseParser, type SseFrame } from './sse-parser';

function parseAll(chunks: string[]) {
  const frames: SseFrame[] = [];
  const retries: number[] = [];
  const push = createSseParser({ frame: (f) => frames.push(f), retry: (ms) => retries.push(ms) });
  for (const c of chunks) push(c);
  return { frames, retries };
}

/** Every way of cutting `text` in two, and one character at a time. */
function cuts(text: string): string[][] {
  const out = [[text], [...text]];
  for (let i = 1; i < text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  return out;
}

describe('createSseParser', () => {
  const stream =
    'retry: 3000\nevent: hello\ndata: {"heartbeatSeconds":20}\n\n' +
    ': ping\n\n' +
    'event: vm\ndata: {"a":1}\n\n' +
    'event: resync\ndata: {}\n\n';

  it('reads the frames the API writes, however the chunks fall', () => {
    for (const chunks of cuts(stream)) {
      const { frames, retries } = parseAll(chunks);
      expect(frames).toEqual([
        { event: 'hello', data: '{"heartbeatSeconds":20}' },
        { event: 'vm', data: '{"a":1}' },
        { event: 'resync', data: '{}' },
      ]);
      expect(retries).toEqual([3000]);
    }
  });

  it('accepts CRLF and CR line breaks, even a CRLF cut between two chunks', () => {
    const crlf = 'event: balance\r\ndata: {}\r\n\r\nevent: end\rdata: {"code":"X"}\r\r';
    for (const chunks of cuts(crlf)) {
      expect(parseAll(chunks).frames).toEqual([
        { event: 'balance', data: '{}' },
        { event: 'end', data: '{"code":"X"}' },
      ]);
    }
  });

  it('joins data lines, defaults the event name, and skips comments and frames without data', () => {
    const { frames, retries } = parseAll([
      'data: one\ndata:two\ndata\n\n',
      ': just a heartbeat\n\n',
      'event: lonely\n\n',
      'id: 7\nretry: soon\nevent: x\ndata:  spaced\n\n',
    ]);
    expect(frames).toEqual([
      { event: 'message', data: 'one\ntwo\n' },
      { event: 'x', data: ' spaced' },
    ]);
    expect(retries).toEqual([]);
  });

  it('holds an unfinished frame until its blank line arrives', () => {
    const frames: SseFrame[] = [];
    const push = createSseParser({ frame: (f) => frames.push(f) });
    push('event: vm\ndata: {}\n');
    expect(frames).toEqual([]);
    push('\n');
    expect(frames).toEqual([{ event: 'vm', data: '{}' }]);
  });
});
