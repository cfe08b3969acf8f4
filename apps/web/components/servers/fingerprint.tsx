'use client';

import { Copy } from 'lucide-react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { useT } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';

/** Eight bytes a line: short enough to compare by eye with what Proxmox shows, group by group. */
const BYTES_PER_GROUP = 8;

/**
 * A SHA-256 fingerprint, "AB:CD:…", in monospace groups. The groups are laid
 * out apart but their text joins back into the exact fingerprint, so copying
 * or reading it (tests, screen readers) gives the form Proxmox uses.
 */
export function Fingerprint({
  value,
  className,
  'data-testid': testId,
}: {
  value: string;
  className?: string;
  'data-testid'?: string;
}) {
  const bytes = value.split(':');
  const groups: string[][] = [];
  for (let i = 0; i < bytes.length; i += BYTES_PER_GROUP) groups.push(bytes.slice(i, i + BYTES_PER_GROUP));
  return (
    <code
      className={cn(
        'grid justify-start gap-x-4 font-mono text-[0.8125rem] leading-6 tracking-wide sm:grid-cols-[auto_auto]',
        className,
      )}
      data-testid={testId}
      data-fingerprint={value}
    >
      {groups.map((group, i) => (
        <span key={i} className="whitespace-nowrap">
          {group.join(':')}
          {i < groups.length - 1 ? ':' : ''}
        </span>
      ))}
    </code>
  );
}

export function CopyButton({ value, label }: { value: string; label: string }) {
  const t = useT();
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      toast.success(t('common.copied'));
    } catch {
      // Clipboard access can be refused (insecure origin, permissions); the text stays selectable.
    }
  }
  return (
    <Button type="button" variant="ghost" size="icon-sm" onClick={() => void copy()} aria-label={label} title={label}>
      <Copy aria-hidden />
    </Button>
  );
}
