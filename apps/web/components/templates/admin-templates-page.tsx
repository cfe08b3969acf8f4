'use client';

import type { Template, TemplateVisibility } from '@uni-manager/contracts';
import { useQuery } from '@tanstack/react-query';
import { CircleOff, Eye, LayoutTemplate, Pencil, Plus, ShieldCheck, Trash2 } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { PageHeader } from '@/components/layout/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { QueryError } from '@/components/ui/query-error';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { queryKeys } from '@/lib/api/query-keys';
import { fetchTemplates } from '@/lib/api/templates';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { DeleteTemplateDialog } from './delete-template-dialog';
import { OsIcon } from './os-icon';
import { coresText, creditsText, diskText, memoryText } from './template-format';

const visibilityTone = { public: 'success', admin: 'primary', disabled: 'neutral' } as const;
const visibilityIcon = { public: Eye, admin: ShieldCheck, disabled: CircleOff } as const;

export function VisibilityBadge({ visibility }: { visibility: TemplateVisibility }) {
  const { t } = useI18n();
  const Icon = visibilityIcon[visibility];
  return (
    <Badge
      tone={visibilityTone[visibility]}
      title={t(`templates.visibilityHints.${visibility}`)}
      data-visibility={visibility}
    >
      <Icon aria-hidden />
      {t(`templates.visibility.${visibility}`)}
    </Badge>
  );
}

const hideSources = 'hidden md:table-cell';
const hidePrice = 'hidden sm:table-cell';

function TemplatesTable({
  templates,
  onDelete,
}: {
  templates: Template[] | undefined;
  onDelete: (t: Template) => void;
}) {
  const { t, format, locale } = useI18n();
  return (
    <Table data-testid="templates-table" aria-busy={templates === undefined} aria-label={t('templates.admin.table')}>
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>{t('templates.admin.columns.template')}</TableHead>
          <TableHead>{t('templates.admin.columns.visibility')}</TableHead>
          <TableHead className={hideSources}>{t('templates.admin.columns.sources')}</TableHead>
          <TableHead className="text-right">{t('templates.admin.columns.vms')}</TableHead>
          <TableHead className={hidePrice}>{t('templates.admin.columns.price')}</TableHead>
          <TableHead className="w-24">
            <span className="sr-only">{t('common.actions')}</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {templates === undefined
          ? Array.from({ length: 3 }, (_, i) => (
              <TableRow key={i} aria-hidden>
                <TableCell>
                  <div className="flex items-center gap-3">
                    <Skeleton className="size-8 rounded-lg" />
                    <div>
                      <Skeleton className="h-4 w-32" />
                      <Skeleton className="mt-1.5 h-3 w-24" />
                    </div>
                  </div>
                </TableCell>
                <TableCell>
                  <Skeleton className="h-5 w-20 rounded-full" />
                </TableCell>
                <TableCell className={hideSources}>
                  <Skeleton className="h-4 w-40" />
                </TableCell>
                <TableCell>
                  <Skeleton className="ml-auto h-4 w-6" />
                </TableCell>
                <TableCell className={hidePrice}>
                  <Skeleton className="h-4 w-16" />
                </TableCell>
                <TableCell />
              </TableRow>
            ))
          : templates.map((tpl) => (
              <TableRow
                key={tpl.id}
                data-testid="template-row"
                data-template-id={tpl.id}
                data-name={tpl.name}
                data-visibility={tpl.visibility}
              >
                <TableCell className="max-w-[14rem] sm:max-w-80">
                  <div className="flex items-center gap-3">
                    <OsIcon icon={tpl.osIcon} size="sm" />
                    <div className="min-w-0">
                      <Link
                        href={`/admin/templates/${tpl.id}`}
                        className="block truncate font-medium underline-offset-4 hover:underline focus-visible:outline-2 focus-visible:outline-ring"
                      >
                        {tpl.name}
                      </Link>
                      <p className="truncate text-xs text-muted-foreground">
                        {tpl.osLabel} ·{' '}
                        {[
                          coresText(tpl.defaults.cores, t),
                          memoryText(tpl.defaults.memoryMib, t, format),
                          diskText(tpl.defaults.diskGib, t, format),
                        ].join(' · ')}
                      </p>
                    </div>
                  </div>
                </TableCell>
                <TableCell>
                  <VisibilityBadge visibility={tpl.visibility} />
                </TableCell>
                <TableCell className={hideSources}>
                  <ul className="space-y-0.5 text-xs">
                    {tpl.sources.map((s) => (
                      <li key={s.id} className="truncate">
                        <span className="font-medium">{s.serverName}</span>{' '}
                        <span className="font-mono text-muted-foreground">
                          {s.node}/{s.vmid}
                        </span>{' '}
                        <span className="text-muted-foreground">
                          · {t(`templates.cloneModes.${s.cloneMode}`)}
                          {s.storage ? ` → ${s.storage}` : ''}
                        </span>
                      </li>
                    ))}
                  </ul>
                </TableCell>
                <TableCell className="text-right tabular-nums" data-testid="template-vm-count">
                  {format.number(tpl.vmCount)}
                </TableCell>
                <TableCell className={`${hidePrice} whitespace-nowrap tabular-nums`}>
                  {tpl.priceRunningPerHour === 0
                    ? t('templates.price.free')
                    : t('templates.admin.pricePerHour', { amount: creditsText(tpl.priceRunningPerHour, t, locale) })}
                </TableCell>
                <TableCell>
                  <div className="flex justify-end gap-1">
                    <Button variant="ghost" size="icon-sm" asChild>
                      <Link
                        href={`/admin/templates/${tpl.id}`}
                        aria-label={t('templates.admin.edit', { name: tpl.name })}
                      >
                        <Pencil aria-hidden />
                      </Link>
                    </Button>
                    <Button
                      variant="ghost"
                      size="icon-sm"
                      onClick={() => onDelete(tpl)}
                      aria-label={t('templates.admin.delete', { name: tpl.name })}
                      data-testid="delete-template"
                    >
                      <Trash2 aria-hidden />
                    </Button>
                  </div>
                </TableCell>
              </TableRow>
            ))}
      </TableBody>
    </Table>
  );
}

export function AdminTemplatesPage() {
  const { t } = useI18n();
  const [deleting, setDeleting] = useState<Template | null>(null);
  const templates = useQuery({ queryKey: queryKeys.adminTemplates, queryFn: ({ signal }) => fetchTemplates(signal) });

  const addButton = (testId: string) => (
    <Button asChild data-testid={testId}>
      <Link href="/admin/templates/new">
        <Plus aria-hidden />
        {t('templates.admin.add')}
      </Link>
    </Button>
  );

  return (
    <>
      <PageHeader
        title={t('templates.admin.title')}
        description={t('templates.admin.subtitle')}
        actions={addButton('add-template')}
      />
      <Card className="overflow-hidden">
        {templates.isError && !templates.data ? (
          <QueryError error={templates.error} onRetry={() => void templates.refetch()} />
        ) : templates.data && templates.data.length === 0 ? (
          <EmptyState
            icon={LayoutTemplate}
            title={t('templates.admin.emptyTitle')}
            description={t('templates.admin.empty')}
            action={addButton('add-template-empty')}
            className="py-16"
          />
        ) : (
          <TemplatesTable templates={templates.data} onDelete={setDeleting} />
        )}
      </Card>
      <DeleteTemplateDialog template={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}
