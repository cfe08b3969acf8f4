'use client';

import { ChevronLeft, ChevronRight } from 'lucide-react';
import { useId } from 'react';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { Button } from './button';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from './select';

interface PaginationProps {
  page: number;
  pageSize: number;
  total: number;
  onPageChange: (page: number) => void;
  onPageSizeChange?: (pageSize: number) => void;
  pageSizeOptions?: readonly number[];
  className?: string;
}

export function Pagination({
  page,
  pageSize,
  total,
  onPageChange,
  onPageSizeChange,
  pageSizeOptions = [10, 25, 50, 100],
  className,
}: PaginationProps) {
  const { t, format } = useI18n();
  const sizeLabelId = useId();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);

  return (
    <nav
      aria-label={t('pagination.label')}
      className={cn('flex flex-col gap-3 text-sm sm:flex-row sm:items-center sm:justify-between', className)}
    >
      <p className="text-muted-foreground tabular-nums" aria-live="polite">
        {t('pagination.summary', { from: format.number(from), to: format.number(to), total: format.number(total) })}
      </p>
      <div className="flex flex-wrap items-center gap-x-5 gap-y-2">
        {onPageSizeChange ? (
          <div className="flex items-center gap-2">
            <span id={sizeLabelId} className="text-muted-foreground">
              {t('pagination.pageSize')}
            </span>
            <Select value={String(pageSize)} onValueChange={(value) => onPageSizeChange(Number(value))}>
              <SelectTrigger className="h-8 w-[4.5rem]" aria-labelledby={sizeLabelId} data-testid="page-size">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {pageSizeOptions.map((size) => (
                  <SelectItem key={size} value={String(size)}>
                    {size}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
        ) : null}
        <div className="flex items-center gap-2">
          <span className="tabular-nums text-muted-foreground">{t('pagination.page', { page, pages })}</span>
          <Button
            variant="outline"
            size="icon-sm"
            onClick={() => onPageChange(page - 1)}
            disabled={page <= 1}
            aria-label={t('pagination.previous')}
          >
            <ChevronLeft aria-hidden />
          </Button>
          <Button
            variant="outline"
            size="icon-sm"
            onClick={() => onPageChange(page + 1)}
            disabled={page >= pages}
            aria-label={t('pagination.next')}
          >
            <ChevronRight aria-hidden />
          </Button>
        </div>
      </div>
    </nav>
  );
}

interface ListPaginationProps<T extends { page: number; pageSize: number }> {
  /** Undefined while the list loads. */
  total: number | undefined;
  search: T;
  onChange: (next: T) => void;
  pageSizeOptions?: readonly number[];
}

/**
 * The footer of a paged list in a card, kept in the list's search state: not
 * shown while there is nothing to page, and a new page size starts again from
 * the first page.
 */
export function ListPagination<T extends { page: number; pageSize: number }>({
  total,
  search,
  onChange,
  pageSizeOptions,
}: ListPaginationProps<T>) {
  if (!total) return null;
  return (
    <div className="border-t px-4 py-3">
      <Pagination
        page={search.page}
        pageSize={search.pageSize}
        total={total}
        pageSizeOptions={pageSizeOptions}
        onPageChange={(page) => onChange({ ...search, page })}
        onPageSizeChange={(pageSize) => onChange({ ...search, page: 1, pageSize })}
      />
    </div>
  );
}
