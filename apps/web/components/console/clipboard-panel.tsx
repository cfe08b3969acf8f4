'use client';

import { Copy, Send } from 'lucide-react';
import { useId, useState } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Label } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';
import { useT } from '@/lib/i18n/i18n-provider';

interface ClipboardPanelProps {
  connected: boolean;
  /** The latest text the VM put on its clipboard. */
  received: string;
  onSend: (text: string) => void;
}

/**
 * A browser page may not read the user's clipboard unasked, and the VM has
 * its own: text crosses over through these two boxes.
 */
export function ClipboardPanel({ connected, received, onSend }: ClipboardPanelProps) {
  const t = useT();
  const sendId = useId();
  const receivedId = useId();
  const [text, setText] = useState('');

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(received);
      toast.success(t('common.copied'));
    } catch {
      toast.error(t('errors.unexpected'));
    }
  };

  return (
    <section
      id="console-clipboard"
      aria-labelledby={`${sendId}-title`}
      className="grid gap-4 border-t border-border bg-card p-4 md:grid-cols-2"
      data-testid="console-clipboard"
    >
      <div className="space-y-1 md:col-span-2">
        <h2 id={`${sendId}-title`} className="text-sm font-semibold">
          {t('vmConsole.clipboard.title')}
        </h2>
        <p className="text-sm text-muted-foreground">{t('vmConsole.clipboard.description')}</p>
      </div>
      <form
        className="space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (!text) return;
          onSend(text);
          toast.success(t('vmConsole.clipboard.sent'));
        }}
      >
        <Label htmlFor={sendId}>{t('vmConsole.clipboard.toSend')}</Label>
        <Textarea
          id={sendId}
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={4}
          spellCheck={false}
          className="font-mono"
          data-testid="console-clipboard-input"
        />
        <Button type="submit" size="sm" disabled={!connected || !text} data-testid="console-clipboard-send">
          <Send aria-hidden />
          {t('vmConsole.clipboard.send')}
        </Button>
      </form>
      <div className="space-y-2">
        <Label htmlFor={receivedId}>{t('vmConsole.clipboard.received')}</Label>
        <Textarea
          id={receivedId}
          value={received}
          readOnly
          rows={4}
          placeholder={t('vmConsole.clipboard.receivedEmpty')}
          className="font-mono"
          data-testid="console-clipboard-received"
        />
        <Button
          type="button"
          size="sm"
          variant="outline"
          disabled={!received}
          onClick={() => void copy()}
          data-testid="console-clipboard-copy"
        >
          <Copy aria-hidden />
          {t('vmConsole.clipboard.copy')}
        </Button>
      </div>
    </section>
  );
}
