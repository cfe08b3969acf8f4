import type { LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { BrandMark } from './brand';

/** A full-screen page for "not found" and "something broke", outside the signed-in frame. */
export function StatusPage({
  icon: Icon,
  code,
  title,
  description,
  actions,
}: {
  icon: LucideIcon;
  code?: string;
  title: string;
  description: string;
  actions?: ReactNode;
}) {
  return (
    <main id="main-content" className="flex min-h-dvh flex-col items-center justify-center px-6 py-16 text-center">
      <BrandMark className="mb-10 size-9 opacity-90" />
      <div className="mb-5 flex size-14 items-center justify-center rounded-full border bg-muted/60">
        <Icon className="size-6 text-muted-foreground" aria-hidden />
      </div>
      {code ? <p className="text-sm font-medium text-muted-foreground">{code}</p> : null}
      <h1 className="mt-1 text-2xl font-semibold tracking-tight">{title}</h1>
      <p className="mt-3 max-w-md text-sm text-muted-foreground">{description}</p>
      {actions ? <div className="mt-7 flex flex-wrap justify-center gap-2">{actions}</div> : null}
    </main>
  );
}
