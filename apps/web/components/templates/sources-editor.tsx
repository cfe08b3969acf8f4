'use client';

import type { ProxmoxTemplate, Server } from '@uni-manager/contracts';
import { useQuery } from '@tanstack/react-query';
import { LoaderCircle, Plus, Trash2 } from 'lucide-react';
import Link from 'next/link';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { ToggleGroup, ToggleGroupItem } from '@/components/ui/toggle-group';
import { isApiError } from '@/lib/api/errors';
import { queryKeys } from '@/lib/api/query-keys';
import { fetchServers } from '@/lib/api/servers';
import { fetchServerProxmoxTemplates } from '@/lib/api/templates';
import { describeError } from '@/lib/errors/describe';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { Formatters } from '@/lib/i18n/format';
import type { Translate } from '@/lib/i18n/translate';
import { sourceErrorText } from './source-errors';
import { coresText, diskText, memoryText } from './template-format';
import type { SourceDraft, TemplateForm } from './use-template-form';

/** Radix Select keeps '' for "nothing chosen": the choice "same storage as the template" needs its own value. */
const SAME_STORAGE = '__same';
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

function templateSize(p: ProxmoxTemplate, t: Translate, format: Formatters): string | null {
  const parts = [
    p.maxcpu ? coresText(p.maxcpu, t) : null,
    p.maxmem ? memoryText(Math.round(p.maxmem / MiB), t, format) : null,
    p.maxdisk ? diskText(Math.ceil(p.maxdisk / GiB), t, format) : null,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : null;
}

function SourceRow({
  form,
  index,
  source,
  servers,
}: {
  form: TemplateForm;
  index: number;
  source: SourceDraft;
  servers: Server[];
}) {
  const { t, dict, format } = useI18n();
  const at = (field: string) => form.errors[`sources.${index}.${field}`];
  const proxmox = useQuery({
    queryKey: queryKeys.adminServerProxmoxTemplates(source.serverId),
    queryFn: ({ signal }) => fetchServerProxmoxTemplates(source.serverId, signal),
    enabled: source.serverId !== '',
    staleTime: 30_000,
    retry: false,
    meta: { silent: true },
  });
  const items = proxmox.data?.items ?? [];
  const picked = items.find((p) => p.node === source.node && String(p.vmid) === source.vmid);
  const storages = (proxmox.data?.storages ?? []).filter((s) => s.node === source.node);
  const number = index + 1;

  return (
    <li
      className="grid gap-4 rounded-lg border bg-muted/20 p-4"
      data-testid="template-source"
      aria-label={t('templates.form.sourceLabel', { number })}
    >
      <div className="flex items-center justify-between gap-3">
        <p className="text-sm font-medium">{t('templates.form.sourceLabel', { number })}</p>
        <Button
          variant="ghost"
          size="icon-sm"
          onClick={() => form.removeSource(index)}
          disabled={form.draft.sources.length === 1}
          aria-label={t('templates.form.removeSource', { number })}
          data-testid="remove-source"
        >
          <Trash2 aria-hidden />
        </Button>
      </div>

      <div className="grid gap-4 md:grid-cols-2">
        <FormField label={t('templates.form.server')} error={at('serverId')}>
          {(control) => (
            <Select
              value={source.serverId || undefined}
              onValueChange={(serverId) => form.setSource(index, { serverId, node: '', vmid: '', storage: '' })}
            >
              <SelectTrigger {...control} data-testid="source-server">
                <SelectValue placeholder={t('templates.form.pickServer')} />
              </SelectTrigger>
              <SelectContent>
                {servers.map((s) => (
                  <SelectItem key={s.id} value={s.id}>
                    {s.name}
                    {!s.enabled
                      ? ` (${t('servers.badges.disabled')})`
                      : s.maintenance
                        ? ` (${t('servers.badges.maintenance')})`
                        : ''}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          )}
        </FormField>

        <FormField
          label={t('templates.form.proxmoxTemplate')}
          hint={
            picked
              ? (templateSize(picked, t, format) ?? undefined)
              : proxmox.isError
                ? undefined
                : t('templates.form.proxmoxTemplateHint')
          }
          error={
            proxmox.isError
              ? t('templates.form.listFailed', {
                  reason:
                    isApiError(proxmox.error) && proxmox.error.code === 'PROXMOX_UNAVAILABLE'
                      ? sourceErrorText(proxmox.error.message, t)
                      : describeError(proxmox.error, t, dict).title,
                })
              : undefined
          }
        >
          {(control) => (
            <Select
              value={picked ? `${picked.node}/${picked.vmid}` : ''}
              onValueChange={(value) => {
                const [node, vmid] = value.split('/');
                form.setSource(index, { node: node ?? '', vmid: vmid ?? '', storage: '' });
              }}
              disabled={!source.serverId || !proxmox.data}
            >
              <SelectTrigger {...control} data-testid="source-picker">
                {proxmox.isFetching && !proxmox.data ? (
                  <span className="flex items-center gap-2 text-muted-foreground">
                    <LoaderCircle className="size-4 animate-spin" aria-hidden />
                    {t('common.loading')}
                  </span>
                ) : (
                  <SelectValue
                    placeholder={
                      !source.serverId
                        ? t('templates.form.pickServerFirst')
                        : items.length === 0 && proxmox.data
                          ? t('templates.form.noProxmoxTemplates')
                          : t('templates.form.pickTemplate')
                    }
                  />
                )}
              </SelectTrigger>
              <SelectContent>
                {items.map((p) => (
                  <SelectItem key={`${p.node}/${p.vmid}`} value={`${p.node}/${p.vmid}`}>
                    {t('templates.form.pickerItem', { node: p.node, name: p.name, vmid: p.vmid })}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          )}
        </FormField>
      </div>

      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <FormField label={t('templates.form.node')} error={at('node')}>
          {(control) => (
            <Input
              {...control}
              value={source.node}
              onChange={(e) => form.setSource(index, { node: e.target.value })}
              autoComplete="off"
              spellCheck={false}
              placeholder="pve1"
              className="font-mono text-[0.8125rem]"
              data-testid="source-node"
            />
          )}
        </FormField>
        <FormField label={t('templates.form.vmid')} error={at('vmid')}>
          {(control) => (
            <Input
              {...control}
              value={source.vmid}
              onChange={(e) => form.setSource(index, { vmid: e.target.value })}
              inputMode="numeric"
              autoComplete="off"
              placeholder="9000"
              className="font-mono text-[0.8125rem]"
              data-testid="source-vmid"
            />
          )}
        </FormField>
        <FormField label={t('templates.form.cloneMode')} error={at('cloneMode')}>
          {(control) => (
            <ToggleGroup
              type="single"
              value={source.cloneMode}
              onValueChange={(v) => {
                if (v === 'linked' || v === 'full') form.setSource(index, { cloneMode: v, storage: '' });
              }}
              aria-labelledby={undefined}
              aria-describedby={control['aria-describedby']}
              id={control.id}
              className="w-full"
              data-testid="source-clone-mode"
            >
              <ToggleGroupItem value="linked" className="flex-1" title={t('templates.form.linkedHint')}>
                {t('templates.cloneModes.linked')}
              </ToggleGroupItem>
              <ToggleGroupItem value="full" className="flex-1" title={t('templates.form.fullHint')}>
                {t('templates.cloneModes.full')}
              </ToggleGroupItem>
            </ToggleGroup>
          )}
        </FormField>
        {source.cloneMode === 'full' ? (
          <FormField label={t('templates.form.storage')} error={at('storage')}>
            {(control) =>
              proxmox.data && storages.length ? (
                <Select
                  value={source.storage || SAME_STORAGE}
                  onValueChange={(v) => form.setSource(index, { storage: v === SAME_STORAGE ? '' : v })}
                >
                  <SelectTrigger {...control} data-testid="source-storage">
                    <SelectValue />
                  </SelectTrigger>
                  <SelectContent>
                    <SelectItem value={SAME_STORAGE}>{t('templates.form.storageSame')}</SelectItem>
                    {storages.map((s) => (
                      <SelectItem key={s.storage} value={s.storage}>
                        {s.shared ? t('templates.form.storageShared', { storage: s.storage }) : s.storage}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
              ) : (
                <Input
                  {...control}
                  value={source.storage}
                  onChange={(e) => form.setSource(index, { storage: e.target.value })}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={t('templates.form.storageSame')}
                  className="font-mono text-[0.8125rem]"
                  data-testid="source-storage"
                />
              )
            }
          </FormField>
        ) : (
          <p className="self-end pb-2 text-xs text-muted-foreground">{t('templates.form.linkedHint')}</p>
        )}
      </div>
    </li>
  );
}

/** Where VMs of this template are cloned from: one Proxmox template VM per node that should offer it. */
export function SourcesEditor({ form }: { form: TemplateForm }) {
  const { t } = useI18n();
  const servers = useQuery({ queryKey: queryKeys.adminServers, queryFn: ({ signal }) => fetchServers(signal) });
  const list = servers.data ?? [];
  const lastServer = form.draft.sources.at(-1)?.serverId;

  return (
    <div className="grid gap-4">
      {servers.data && list.length === 0 ? (
        <Alert tone="warning">
          {t('templates.form.noServers')}{' '}
          <Link href="/admin/servers" className="font-medium underline underline-offset-4">
            {t('templates.form.addServer')}
          </Link>
        </Alert>
      ) : null}
      {form.errors.sources ? (
        <p className="text-[0.8125rem] font-medium text-destructive" role="alert">
          {form.errors.sources}
        </p>
      ) : null}
      <ol className="grid gap-3">
        {form.draft.sources.map((source, index) => (
          <SourceRow key={source.key} form={form} index={index} source={source} servers={list} />
        ))}
      </ol>
      <div>
        <Button
          variant="outline"
          size="sm"
          onClick={() => form.addSource(lastServer)}
          disabled={form.draft.sources.length >= 32}
          data-testid="add-source"
        >
          <Plus aria-hidden />
          {t('templates.form.addSource')}
        </Button>
      </div>
    </div>
  );
}
