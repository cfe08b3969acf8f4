'use client';

import { ClipboardList, Keyboard, LoaderCircle, Maximize, Minimize, PlugZap, RotateCw, Unplug } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { useT } from '@/lib/i18n/i18n-provider';
import type { ConsoleState } from './use-vm-console';

const statusTone = { connecting: 'info', connected: 'success', disconnected: 'neutral' } as const;

export function ConsoleStatusBadge({ state }: { state: ConsoleState }) {
  const t = useT();
  return (
    <Badge
      tone={statusTone[state.status]}
      dot={state.status !== 'connecting'}
      data-testid="console-status"
      data-status={state.status}
    >
      {state.status === 'connecting' ? <LoaderCircle className="animate-spin" aria-hidden /> : null}
      {t(`vmConsole.status.${state.status}`)}
    </Badge>
  );
}

interface ConsoleToolbarProps {
  state: ConsoleState;
  fullscreen: { supported: boolean; active: boolean; toggle: () => void };
  clipboardOpen: boolean;
  onToggleClipboard: () => void;
  onCtrlAltDel: () => void;
  onReconnect: () => void;
  onDisconnect: () => void;
}

export function ConsoleToolbar(p: ConsoleToolbarProps) {
  const t = useT();
  const connected = p.state.status === 'connected';
  return (
    <div
      role="toolbar"
      aria-label={t('vmConsole.actions.toolbar')}
      className="flex flex-wrap items-center gap-2 border-b border-border bg-card px-3 py-2"
    >
      <div role="status" aria-live="polite" className="mr-auto flex items-center">
        <ConsoleStatusBadge state={p.state} />
      </div>
      <Button
        size="sm"
        variant="outline"
        onClick={p.onCtrlAltDel}
        disabled={!connected}
        title={t('vmConsole.actions.ctrlAltDelHint')}
        aria-label={t('vmConsole.actions.ctrlAltDelHint')}
        data-testid="console-ctrl-alt-del"
      >
        <Keyboard aria-hidden />
        {t('vmConsole.actions.ctrlAltDel')}
      </Button>
      <Button
        size="sm"
        variant="outline"
        onClick={p.onToggleClipboard}
        aria-expanded={p.clipboardOpen}
        aria-controls="console-clipboard"
        data-testid="console-clipboard-toggle"
      >
        <ClipboardList aria-hidden />
        {t('vmConsole.actions.clipboard')}
      </Button>
      {p.fullscreen.supported ? (
        <Button
          size="sm"
          variant="outline"
          onClick={p.fullscreen.toggle}
          aria-pressed={p.fullscreen.active}
          data-testid="console-fullscreen"
        >
          {p.fullscreen.active ? <Minimize aria-hidden /> : <Maximize aria-hidden />}
          {p.fullscreen.active ? t('vmConsole.actions.exitFullscreen') : t('vmConsole.actions.fullscreen')}
        </Button>
      ) : null}
      {connected ? (
        <Button size="sm" variant="ghost" onClick={p.onDisconnect} data-testid="console-disconnect">
          <Unplug aria-hidden />
          {t('vmConsole.actions.disconnect')}
        </Button>
      ) : (
        <Button
          size="sm"
          variant={p.state.status === 'disconnected' ? 'default' : 'ghost'}
          onClick={p.onReconnect}
          disabled={p.state.status === 'connecting'}
          data-testid="console-reconnect"
        >
          {p.state.status === 'disconnected' ? <PlugZap aria-hidden /> : <RotateCw aria-hidden />}
          {t('vmConsole.actions.reconnect')}
        </Button>
      )}
    </div>
  );
}
