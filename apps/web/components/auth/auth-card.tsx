import type { ReactNode } from 'react';

/** Title, subtitle and footer around the login and register forms. */
export function AuthCard({
  title,
  subtitle,
  footer,
  children,
}: {
  title: string;
  subtitle: string;
  footer: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        <p className="text-sm text-muted-foreground">{subtitle}</p>
      </div>
      <div className="rounded-xl border bg-card p-5 shadow-sm shadow-black/5 sm:p-6">{children}</div>
      <p className="text-center text-sm text-muted-foreground">{footer}</p>
    </div>
  );
}
