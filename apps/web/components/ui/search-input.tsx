'use client';

import { Search, X } from 'lucide-react';
import { useEffect, useState } from 'react';
import { cn } from '@/lib/utils';
import { Input } from './input';

interface SearchInputProps {
  /** The committed value, usually from the URL. */
  value: string;
  /** Called once typing pauses, with the trimmed text. */
  onCommit: (value: string) => void;
  label: string;
  clearLabel: string;
  placeholder?: string;
  delayMs?: number;
  className?: string;
  /** Set when a visible <label> points at the input; `label` then stays as its accessible name too. */
  id?: string;
  'data-testid'?: string;
}

export function SearchInput({
  value,
  onCommit,
  label,
  clearLabel,
  placeholder,
  delayMs = 300,
  className,
  id,
  ...rest
}: SearchInputProps) {
  const [draft, setDraft] = useState(value);
  // The last value we committed, and the committed value the draft was last aligned with.
  const [committed, setCommitted] = useState(value);
  const [seen, setSeen] = useState(value);

  // Follow outside changes (back button, "clear filters") but not the echo of
  // our own commit, which would erase what was typed since.
  if (value !== seen) {
    setSeen(value);
    if (value !== committed) {
      setDraft(value);
      setCommitted(value);
    }
  }

  useEffect(() => {
    const next = draft.trim();
    if (next === value) return;
    const timer = setTimeout(() => {
      setCommitted(next);
      onCommit(next);
    }, delayMs);
    return () => clearTimeout(timer);
  }, [draft, value, delayMs, onCommit]);

  return (
    <div className={cn('relative', className)}>
      <Search
        className="pointer-events-none absolute left-3 top-1/2 size-4 -translate-y-1/2 text-muted-foreground"
        aria-hidden
      />
      <Input
        id={id}
        type="search"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        aria-label={label}
        placeholder={placeholder}
        className="pl-9 pr-9 [&::-webkit-search-cancel-button]:hidden"
        data-testid={rest['data-testid']}
      />
      {draft ? (
        <button
          type="button"
          onClick={() => setDraft('')}
          aria-label={clearLabel}
          className="absolute right-1.5 top-1/2 flex size-6 -translate-y-1/2 items-center justify-center rounded text-muted-foreground hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring"
        >
          <X className="size-3.5" aria-hidden />
        </button>
      ) : null}
    </div>
  );
}
