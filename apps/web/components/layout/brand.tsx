import { cn } from '@/lib/utils';

/** The product mark: three stacked server blades. Drawn inline so nothing is fetched. */
export function BrandMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden className={cn('size-8 shrink-0', className)}>
      <rect width="32" height="32" rx="8" className="fill-primary" />
      <g className="fill-primary-foreground">
        <rect x="8" y="8" width="16" height="4" rx="1.5" />
        <rect x="8" y="14" width="16" height="4" rx="1.5" opacity="0.8" />
        <rect x="8" y="20" width="16" height="4" rx="1.5" opacity="0.6" />
      </g>
      <g className="fill-primary">
        <circle cx="21" cy="10" r="1" />
        <circle cx="21" cy="16" r="1" />
        <circle cx="21" cy="22" r="1" />
      </g>
    </svg>
  );
}

export function Brand({ className }: { className?: string }) {
  return (
    <span className={cn('flex items-center gap-2.5 font-semibold tracking-tight', className)}>
      <BrandMark className="size-7" />
      <span>Uni-Manager</span>
    </span>
  );
}
