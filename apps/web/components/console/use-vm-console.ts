'use client';

import type RFB from '@novnc/novnc';
import { useCallback, useEffect, useRef, useState } from 'react';
import { consoleSocketUrl, openConsoleTicket } from '@/lib/api/console';
import type { ConsoleEnd } from './console-end';

export type ConsoleState =
  { status: 'connecting' } | { status: 'connected' } | { status: 'disconnected'; end: ConsoleEnd };

/**
 * One console session at a time: a fresh ticket, a websocket to the API, and
 * noVNC drawing into `screenRef`. `reconnect` starts over with a new ticket
 * (a ticket opens one socket only).
 */
export function useVmConsole(vmId: string) {
  const screenRef = useRef<HTMLDivElement>(null);
  const rfbRef = useRef<RFB | null>(null);
  const byUserRef = useRef(false);
  const [state, setState] = useState<ConsoleState>({ status: 'connecting' });
  const [remoteClipboard, setRemoteClipboard] = useState('');
  const [session, setSession] = useState(0);

  useEffect(() => {
    const target = screenRef.current;
    if (!target) return;
    let disposed = false;
    let rfb: RFB | null = null;
    let closed: { code: number; reason: string } | null = null;
    let securityFailure: string | null = null;
    let ended = false;
    byUserRef.current = false;

    void (async () => {
      try {
        // noVNC touches window and document when it loads: it can only be imported in the browser.
        const [{ default: Rfb }, ticket] = await Promise.all([import('@novnc/novnc'), openConsoleTicket(vmId)]);
        if (disposed) return;
        const socket = new WebSocket(consoleSocketUrl(ticket, window.location), ['binary']);
        // Registered before noVNC's own handler, so the code and reason are known when it reports the disconnect.
        socket.addEventListener('close', (e) => {
          closed = { code: e.code, reason: e.reason };
        });
        rfb = new Rfb(target, socket, { shared: true });
        rfb.scaleViewport = true;
        rfb.background = '#000';
        rfb.addEventListener('connect', () => {
          if (disposed) return;
          setState({ status: 'connected' });
          rfb?.focus({ preventScroll: true });
        });
        rfb.addEventListener('securityfailure', (e) => {
          securityFailure = e.detail.reason ?? '';
        });
        rfb.addEventListener('clipboard', (e) => {
          if (!disposed) setRemoteClipboard(e.detail.text);
        });
        rfb.addEventListener('disconnect', () => {
          ended = true;
          if (disposed) return;
          rfbRef.current = null;
          const end: ConsoleEnd = byUserRef.current
            ? { kind: 'user' }
            : securityFailure !== null
              ? { kind: 'security', reason: securityFailure }
              : { kind: 'closed', code: closed?.code ?? 1006, reason: closed?.reason ?? '' };
          setState({ status: 'disconnected', end });
        });
        rfbRef.current = rfb;
      } catch (error) {
        if (!disposed) setState({ status: 'disconnected', end: { kind: 'request', error } });
      }
    })();

    return () => {
      disposed = true;
      rfbRef.current = null;
      if (!ended) rfb?.disconnect();
    };
  }, [vmId, session]);

  const reconnect = useCallback(() => {
    setState({ status: 'connecting' });
    setSession((n) => n + 1);
  }, []);

  const disconnect = useCallback(() => {
    byUserRef.current = true;
    rfbRef.current?.disconnect();
  }, []);

  const sendCtrlAltDel = useCallback(() => {
    rfbRef.current?.sendCtrlAltDel();
    rfbRef.current?.focus({ preventScroll: true });
  }, []);

  /** Puts text on the VM's clipboard; the user pastes it there. */
  const sendClipboard = useCallback((text: string) => {
    rfbRef.current?.clipboardPasteFrom(text);
  }, []);

  const focus = useCallback(() => rfbRef.current?.focus({ preventScroll: true }), []);

  return { screenRef, state, remoteClipboard, reconnect, disconnect, sendCtrlAltDel, sendClipboard, focus };
}
