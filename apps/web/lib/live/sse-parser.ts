/** One dispatched server-sent event: its `event:` name (default "message") and its joined `data:` lines. */
export interface SseFrame {
  event: string;
  data: string;
}

export interface SseHandlers {
  frame(frame: SseFrame): void;
  /** A `retry:` field: how long the server asks clients to wait before reconnecting. */
  retry?(ms: number): void;
}

/**
 * Incremental parser for `text/event-stream` as the HTML standard defines it,
 * fed with decoded text in chunks of any size: a line, even a CRLF pair, may
 * be cut anywhere between two chunks. Comment lines (`:` first) carry nothing;
 * the caller treats any chunk at all as a sign of life.
 */
export function createSseParser(handlers: SseHandlers): (chunk: string) => void {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  // A chunk that ended on CR may be followed by the LF of the same line break.
  let skipLeadingLf = false;

  function dispatch() {
    if (data.length > 0) handlers.frame({ event: event || 'message', data: data.join('\n') });
    event = '';
    data = [];
  }

  function line(text: string) {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        event = value;
        break;
      case 'data':
        data.push(value);
        break;
      case 'retry':
        if (/^\d+$/.test(value)) handlers.retry?.(Number(value));
        break;
      // `id` is of no use to us: the server does not replay, it says `resync`.
    }
  }

  return (chunk: string) => {
    if (skipLeadingLf && chunk.startsWith('\n')) chunk = chunk.slice(1);
    skipLeadingLf = false;
    buffer += chunk;
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      line(buffer.slice(start, i));
      if (c === '\r') {
        if (i + 1 === buffer.length) skipLeadingLf = true;
        else if (buffer[i + 1] === '\n') i++;
      }
      start = i + 1;
    }
    buffer = buffer.slice(start);
  };
}
