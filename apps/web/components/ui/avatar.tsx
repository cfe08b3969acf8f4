'use client';

import { Avatar as AvatarPrimitive } from 'radix-ui';
import type { ComponentProps } from 'react';
import { cn } from '@/lib/utils';

/** Up to two initials; works for "Ada Lovelace", "ada" and names in any script. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0] ?? '?'];
  return letters
    .map((w) => Array.from(w ?? '')[0] ?? '')
    .join('')
    .toUpperCase();
}

type AvatarProps = ComponentProps<typeof AvatarPrimitive.Root> & { name: string };

/** Initials only: users have no pictures, and nothing is loaded from elsewhere. */
export function Avatar({ name, className, ...props }: AvatarProps) {
  return (
    <AvatarPrimitive.Root
      className={cn('relative flex size-8 shrink-0 overflow-hidden rounded-full', className)}
      {...props}
    >
      <AvatarPrimitive.Fallback
        className="flex size-full items-center justify-center bg-primary/15 text-xs font-semibold text-primary"
        aria-hidden
      >
        {initialsOf(name)}
      </AvatarPrimitive.Fallback>
    </AvatarPrimitive.Root>
  );
}
