import { cva, type VariantProps } from 'class-variance-authority';
import { CircleAlert, Info, TriangleAlert } from 'lucide-react';
import type { ComponentProps } from 'react';
import { cn } from '@/lib/utils';

const alertVariants = cva(
  'flex gap-3 rounded-lg border px-4 py-3 text-sm [&>svg]:mt-0.5 [&>svg]:size-4 [&>svg]:shrink-0',
  {
    variants: {
      tone: {
        info: 'border-info/30 bg-info/10 text-foreground [&>svg]:text-info',
        warning: 'border-warning/35 bg-warning/10 text-foreground [&>svg]:text-warning',
        destructive: 'border-destructive/35 bg-destructive/10 text-foreground [&>svg]:text-destructive',
      },
    },
    defaultVariants: { tone: 'info' },
  },
);

const icons = { info: Info, warning: TriangleAlert, destructive: CircleAlert } as const;

type AlertProps = ComponentProps<'div'> & VariantProps<typeof alertVariants>;

/**
 * Errors are announced at once (role="alert"); information politely
 * (role="status") so it does not interrupt what a screen reader is saying.
 */
export function Alert({ className, tone, children, ...props }: AlertProps) {
  const Icon = icons[tone ?? 'info'];
  return (
    <div
      role={tone === 'destructive' ? 'alert' : 'status'}
      className={cn(alertVariants({ tone }), className)}
      {...props}
    >
      <Icon aria-hidden />
      <div className="min-w-0 flex-1 leading-relaxed">{children}</div>
    </div>
  );
}
