'use client';

import { useQuery } from '@tanstack/react-query';
import { ArrowLeft, LoaderCircle, Play } from 'lucide-react';
import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { PageHeader } from '@/components/layout/page-header';
import { BUSY_REFRESH_MS, isBusy } from '@/components/vms/refresh';
import { useVmActions } from '@/components/vms/vm-dialogs';
import { actionBlocker, powerActionsFor } from '@/components/vms/vm-actions-model';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { queryKeys } from '@/lib/api/query-keys';
import { fetchVm } from '@/lib/api/vms';
import { useI18n, useT } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { ClipboardPanel } from './clipboard-panel';
import { consoleEndText, consoleEndTone } from './console-end';
import { ConsoleToolbar } from './console-toolbar';
import { useFullscreen } from './use-fullscreen';
import { useVmConsole } from './use-vm-console';

function BackLink({ id }: { id: string }) {
  const t = useT();
  return (
    <Link
      href={`/vms/${id}`}
      className="inline-flex items-center gap-1.5 text-sm text-muted-foreground hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
      data-testid="console-back"
    >
      <ArrowLeft className="size-4" aria-hidden />
      {t('vmConsole.back')}
    </Link>
  );
}

export function VmConsolePage({ id }: { id: string }) {
  const { t, dict, format } = useI18n();
  // For the title and the Start button: the console itself learns everything it needs from its ticket.
  const vm = useQuery({
    queryKey: queryKeys.vm(id),
    queryFn: ({ signal }) => fetchVm(id, signal),
    retry: false,
    refetchInterval: (q) => (q.state.data && isBusy(q.state.data) ? BUSY_REFRESH_MS : false),
  });
  const { screenRef, state, remoteClipboard, reconnect, disconnect, sendCtrlAltDel, sendClipboard, focus } =
    useVmConsole(id);
  const { run, dialogs, busyId } = useVmActions();
  // Started from here: connect as soon as the VM runs, as the user plainly wants its screen.
  const [startedHere, setStartedHere] = useState(false);
  const [connectAfterStart, setConnectAfterStart] = useState(0);
  const running = vm.data?.powerState === 'running' && !vm.data.activeOperation;
  if (startedHere && running) {
    setStartedHere(false);
    setConnectAfterStart((n) => n + 1);
  }
  useEffect(() => {
    if (connectAfterStart > 0) reconnect();
  }, [connectAfterStart, reconnect]);
  const frameRef = useRef<HTMLDivElement>(null);
  const fullscreen = useFullscreen(frameRef);
  const [clipboardOpen, setClipboardOpen] = useState(false);
  const connected = state.status === 'connected';

  return (
    <>
      <PageHeader
        eyebrow={<BackLink id={id} />}
        title={
          <span className="break-all" data-testid="console-title">
            {vm.data ? t('vmConsole.heading', { name: vm.data.name }) : t('vmConsole.title')}
          </span>
        }
        description={t('vmConsole.description')}
      />
      <div
        ref={frameRef}
        className={cn(
          'flex flex-col overflow-hidden border border-border bg-card',
          fullscreen.active ? 'h-dvh w-screen' : 'rounded-xl shadow-sm',
        )}
        data-testid="console-frame"
      >
        <ConsoleToolbar
          state={state}
          fullscreen={fullscreen}
          clipboardOpen={clipboardOpen}
          onToggleClipboard={() => setClipboardOpen((open) => !open)}
          onCtrlAltDel={sendCtrlAltDel}
          onReconnect={reconnect}
          onDisconnect={disconnect}
        />
        {state.status === 'disconnected' ? (
          <Alert
            tone={consoleEndTone(state.end)}
            className="rounded-none border-x-0 border-t-0"
            data-testid="console-ended"
          >
            <div className="flex flex-wrap items-center justify-between gap-3">
              <span>{consoleEndText(state.end, t, dict)}</span>
              {vm.data && (powerActionsFor(vm.data).includes('start') || startedHere) ? (
                <StartButton
                  blocker={
                    actionBlocker(vm.data, 'start', t, format) ?? (busyId === id ? t('vms.actions.sending') : null)
                  }
                  onStart={() => {
                    setStartedHere(true);
                    run(vm.data, 'start');
                  }}
                />
              ) : null}
            </div>
          </Alert>
        ) : null}
        <div
          className={cn(
            'relative bg-black',
            // Phones get the usual 4:3 of a VM screen rather than a tall black column.
            fullscreen.active ? 'min-h-0 flex-1' : 'aspect-[4/3] sm:aspect-auto sm:h-[min(72dvh,52rem)] sm:min-h-64',
          )}
        >
          {/* noVNC puts its canvas here and takes the keyboard while the canvas has focus; tabbing here hands it over. */}
          <div
            ref={screenRef}
            role="application"
            aria-label={t('vmConsole.screen')}
            tabIndex={connected ? 0 : -1}
            onFocus={(e) => {
              if (e.target === e.currentTarget) focus();
            }}
            className="absolute inset-0 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-ring"
            data-testid="console-screen"
          />
          {state.status === 'connecting' ? (
            <div className="pointer-events-none absolute inset-0 flex items-center justify-center gap-2 text-sm text-white/80">
              <LoaderCircle className="size-5 animate-spin" aria-hidden />
              {t('vmConsole.status.connecting')}
            </div>
          ) : null}
        </div>
        {clipboardOpen ? (
          <ClipboardPanel connected={connected} received={remoteClipboard} onSend={sendClipboard} />
        ) : null}
      </div>
      {dialogs}
    </>
  );
}

/** Start, with the VM page's own toast; while the start runs it says so and the console waits for it. */
function StartButton({ blocker, onStart }: { blocker: string | null; onStart: () => void }) {
  const t = useT();
  return (
    <div className="flex items-center gap-3">
      {blocker ? <span className="text-xs text-muted-foreground">{t('vmConsole.ended.startHint')}</span> : null}
      <Button size="sm" onClick={onStart} disabled={blocker !== null} data-testid="console-start">
        {blocker ? <LoaderCircle className="animate-spin" aria-hidden /> : <Play aria-hidden />}
        {t('vms.actions.start')}
      </Button>
    </div>
  );
}
