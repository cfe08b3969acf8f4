'use client';

import { useQuery } from '@tanstack/react-query';
import { LayoutTemplate, Settings2 } from 'lucide-react';
import Link from 'next/link';
import { PageHeader } from '@/components/layout/page-header';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryError } from '@/components/ui/query-error';
import { Skeleton } from '@/components/ui/skeleton';
import { useAuth } from '@/lib/auth/use-auth';
import { fetchCatalog } from '@/lib/api/catalog';
import { queryKeys } from '@/lib/api/query-keys';
import { useT } from '@/lib/i18n/i18n-provider';
import { TemplateCard } from './template-card';

/** Availability follows server health and maintenance: look again now and then. */
const CATALOG_REFRESH_MS = 60_000;

export function CatalogPage() {
  const t = useT();
  const isAdmin = useAuth().user?.role === 'admin';
  const catalog = useQuery({
    queryKey: queryKeys.catalog,
    queryFn: ({ signal }) => fetchCatalog(signal),
    refetchInterval: CATALOG_REFRESH_MS,
  });
  const manage = isAdmin ? (
    <Button variant="outline" asChild>
      <Link href="/admin/templates">
        <Settings2 aria-hidden />
        {t('templates.catalog.manage')}
      </Link>
    </Button>
  ) : null;

  return (
    <>
      <PageHeader title={t('templates.catalog.title')} description={t('templates.catalog.subtitle')} actions={manage} />
      {catalog.isError && !catalog.data ? (
        <Card>
          <QueryError error={catalog.error} onRetry={() => void catalog.refetch()} />
        </Card>
      ) : catalog.data === undefined ? (
        <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3" aria-busy>
          {Array.from({ length: 3 }, (_, i) => (
            <Skeleton key={i} className="h-80 rounded-xl" />
          ))}
        </div>
      ) : catalog.data.length === 0 ? (
        <Card>
          <EmptyState
            icon={LayoutTemplate}
            title={t('templates.catalog.emptyTitle')}
            description={isAdmin ? t('templates.catalog.emptyAdmin') : t('templates.catalog.empty')}
            action={
              isAdmin ? (
                <Button asChild>
                  <Link href="/admin/templates/new">{t('templates.admin.add')}</Link>
                </Button>
              ) : null
            }
            className="py-16"
          />
        </Card>
      ) : (
        <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3" data-testid="template-catalog">
          {catalog.data.map((tpl) => (
            <TemplateCard key={tpl.id} template={tpl} />
          ))}
        </div>
      )}
    </>
  );
}
