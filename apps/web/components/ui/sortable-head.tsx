'use client';

import { ArrowDown, ArrowUp, ChevronsUpDown } from 'lucide-react';
import { TableHead } from '@/components/ui/table';
import type { SortOrder } from '@/lib/use-search-state';
import { cn } from '@/lib/utils';

interface SortableHeadProps<F extends string> {
  field: F;
  label: string;
  sort: F;
  order: SortOrder;
  onSort: (field: F) => void;
  className?: string;
  /** The button's data-testid is this followed by the field. */
  testIdPrefix?: string;
}

/** A column header that sorts; aria-sort tells screen readers which column orders the rows. */
export function SortableHead<F extends string>({
  field,
  label,
  sort,
  order,
  onSort,
  className,
  testIdPrefix = 'sort-',
}: SortableHeadProps<F>) {
  const active = sort === field;
  const Icon = !active ? ChevronsUpDown : order === 'asc' ? ArrowUp : ArrowDown;
  return (
    <TableHead aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'} className={className}>
      <button
        type="button"
        onClick={() => onSort(field)}
        className={cn(
          '-ml-2 inline-flex items-center gap-1.5 rounded px-2 py-1 uppercase tracking-wide hover:bg-accent hover:text-foreground focus-visible:outline-2 focus-visible:outline-ring',
          active && 'text-foreground',
        )}
        data-testid={`${testIdPrefix}${field}`}
      >
        {label}
        <Icon className={cn('size-3.5', !active && 'opacity-50')} aria-hidden />
      </button>
    </TableHead>
  );
}
