/**
 * Console sessions opened by vncproxy. Each holds a port (5900-5999), the VNC password and the
 * vncproxy task, which waits 10 s for the websocket (Qemu.pm:3031,3117) and then lives as long
 * as the connection does.
 */
import type { Clock, TimerHandle } from '../clock.js';

export interface ConsoleConnection {
  close(reason: string): void;
}

export interface ConsoleSession {
  port: number;
  vmid: number;
  node: string;
  authid: string;
  password: string;
  upid: string;
  state: 'waiting' | 'connected' | 'closed';
  /** Resolves with the connection once the websocket attached, or rejects on timeout. */
  connected: Promise<void>;
  /** Resolves when the connection ends. */
  closed: Promise<void>;
  attach(connection: ConsoleConnection): void;
  close(reason: string): void;
}

export class ConsoleSessions {
  private readonly sessions = new Map<number, ConsoleSession>();

  constructor(private readonly deps: { clock: Clock; connectTimeoutMs: () => number }) {}

  /** next_vnc_port: the lowest port in 5900-5999 not in use. */
  freePort(): number {
    for (let port = 5900; port <= 5999; port++) if (!this.sessions.has(port)) return port;
    throw new Error('unable to find free port (5900-5999)');
  }

  open(init: { port: number; vmid: number; node: string; authid: string; password: string }): ConsoleSession {
    const { clock } = this.deps;
    let resolveConnected!: () => void;
    let rejectConnected!: (err: Error) => void;
    let resolveClosed!: () => void;
    const connected = new Promise<void>((res, rej) => {
      resolveConnected = res;
      rejectConnected = rej;
    });
    const closed = new Promise<void>((res) => {
      resolveClosed = res;
    });
    // Nobody may be awaiting `connected` yet; keep an unawaited rejection from surfacing.
    connected.catch(() => {});
    let connection: ConsoleConnection | undefined;
    const wait: { timer?: TimerHandle } = {};
    const session: ConsoleSession = {
      ...init,
      upid: '',
      state: 'waiting',
      connected,
      closed,
      attach: (c) => {
        connection = c;
        session.state = 'connected';
        clock.clearTimer(wait.timer);
        resolveConnected();
      },
      close: (reason) => {
        if (session.state === 'closed') return;
        const wasWaiting = session.state === 'waiting';
        session.state = 'closed';
        clock.clearTimer(wait.timer);
        this.sessions.delete(session.port);
        connection?.close(reason);
        if (wasWaiting) rejectConnected(new Error(reason));
        resolveClosed();
      },
    };
    wait.timer = clock.setTimer(() => session.close('connection timed out'), this.deps.connectTimeoutMs());
    this.sessions.set(init.port, session);
    return session;
  }

  /** The waiting session on `port` for `vmid`, if any. */
  waiting(port: number, vmid: number): ConsoleSession | undefined {
    const s = this.sessions.get(port);
    return s && s.vmid === vmid && s.state === 'waiting' ? s : undefined;
  }

  /** The VM stopped or vanished: its consoles lose their VNC server. */
  closeForVm(vmid: number): void {
    for (const s of [...this.sessions.values()]) if (s.vmid === vmid) s.close('VM stopped');
  }

  closeAll(): void {
    for (const s of [...this.sessions.values()]) s.close('server shutting down');
  }
}
