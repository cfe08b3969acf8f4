'use client';

import type { Server } from '@uni-manager/contracts';
import { Check, ChevronDown, ChevronLeft, ChevronRight, FileBadge, PlugZap, ShieldCheck } from 'lucide-react';
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { toast } from 'sonner';
import { focusFirstInvalid } from '@/lib/forms/focus-first-invalid';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Collapsible, CollapsibleContent, CollapsibleTrigger } from '@/components/ui/collapsible';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { PasswordInput } from '@/components/ui/password-input';
import { Textarea } from '@/components/ui/textarea';
import { useT } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { CertificatePanel } from './certificate-panel';
import { ConnectionResult } from './connection-result';
import { Fingerprint } from './fingerprint';
import { useServerForm, withScheme, type ServerForm, type ServerFormField } from './use-server-form';

interface ServerFormDialogProps {
  open: boolean;
  /** The server to edit; without one the dialog adds a new server. */
  server?: Server;
  onClose: () => void;
}

export function ServerFormDialog({ open, server, onClose }: ServerFormDialogProps) {
  return (
    <Dialog open={open} onOpenChange={(next) => !next && onClose()}>
      {/* Keyed so every opening starts from the server as saved, with no stale certificate or test. */}
      {open ? <ServerFormBody key={server?.id ?? 'new'} server={server} onClose={onClose} /> : null}
    </Dialog>
  );
}

type Step = 1 | 2;
const step1Fields: ServerFormField[] = ['name', 'url', 'caPem', 'trust'];

function ServerFormBody({ server, onClose }: { server?: Server; onClose: () => void }) {
  const t = useT();
  const form = useServerForm(server);
  const formRef = useRef<HTMLFormElement>(null);
  const [step, setStep] = useState<Step>(1);
  const editing = form.editing;

  /** Brings the admin to a field the API or the checks refused, on whichever step it lives. */
  function goTo(field: ServerFormField | undefined) {
    if (!field) return;
    if (!editing && step1Fields.includes(field)) setStep(1);
    focusFirstInvalid(formRef.current);
  }

  function next() {
    if (form.check(step1Fields)) setStep(2);
    else focusFirstInvalid(formRef.current);
  }

  async function save() {
    const { saved, field } = await form.save();
    if (saved) {
      toast.success(t(editing ? 'servers.form.updated' : 'servers.form.created', { name: saved.name }));
      onClose();
      return;
    }
    goTo(field);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Enter moves the flow on: to the token step, then to a test, then to saving a tested server.
    if (editing) void save();
    else if (step === 1) next();
    else if (form.test?.ok) void save();
    else goTo(form.runTest());
  }

  const canSave = editing ? form.changes > 0 : form.test?.ok === true;

  return (
    <DialogContent
      className="max-w-2xl gap-5 sm:p-7"
      closeLabel={t('common.close')}
      data-testid="server-dialog"
      data-mode={editing ? 'edit' : 'add'}
      data-step={editing ? undefined : step}
      // The first field gets focus rather than the close button.
      onOpenAutoFocus={(event) => {
        event.preventDefault();
        formRef.current?.querySelector<HTMLElement>('input')?.focus();
      }}
    >
      <DialogHeader>
        <DialogTitle>
          {editing ? t('servers.form.editTitle', { name: server!.name }) : t('servers.form.addTitle')}
        </DialogTitle>
        <DialogDescription>
          {editing ? t('servers.form.editDescription') : t('servers.form.addDescription')}
        </DialogDescription>
      </DialogHeader>

      {editing ? null : <Stepper step={step} tested={form.test?.ok === true} />}

      <form ref={formRef} noValidate onSubmit={onSubmit} className="grid gap-5">
        {editing ? (
          <>
            <NameField form={form} />
            <ConnectionFields form={form} current={server} />
            <TokenFields form={form} />
            <TestSection form={form} onTest={() => goTo(form.runTest())} />
          </>
        ) : step === 1 ? (
          <>
            <NameField form={form} />
            <ConnectionFields form={form} />
          </>
        ) : (
          <>
            <Summary form={form} onEdit={() => setStep(1)} />
            <TokenFields form={form} />
            <TestSection form={form} onTest={() => goTo(form.runTest())} />
          </>
        )}

        {form.notice ? (
          <Alert tone="destructive" data-testid="server-form-error">
            <p className="font-medium">{form.notice.title}</p>
            {form.notice.detail ? (
              <p className="mt-0.5 break-words font-mono text-xs text-muted-foreground">{form.notice.detail}</p>
            ) : null}
          </Alert>
        ) : null}

        <DialogFooter className="border-t pt-5">
          {!editing && step === 2 ? (
            <Button
              variant="outline"
              className="sm:mr-auto"
              onClick={() => setStep(1)}
              data-testid="server-dialog-back"
            >
              <ChevronLeft aria-hidden />
              {t('servers.form.back')}
            </Button>
          ) : null}
          <Button variant="outline" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          {!editing && step === 1 ? (
            <Button type="submit" data-testid="server-dialog-next">
              {t('servers.form.next')}
              <ChevronRight aria-hidden />
            </Button>
          ) : (
            <Button
              variant="default"
              disabled={!canSave}
              pending={form.saving}
              onClick={() => void save()}
              data-testid="save-server"
            >
              {form.saving ? t('servers.form.saving') : editing ? t('common.save') : t('servers.form.save')}
            </Button>
          )}
        </DialogFooter>
      </form>
    </DialogContent>
  );
}

/** Where the admin is in the three steps; the last one is reached once the connection test passes. */
function Stepper({ step, tested }: { step: Step; tested: boolean }) {
  const t = useT();
  const steps = [
    { label: t('servers.form.steps.address'), done: step > 1, current: step === 1 },
    { label: t('servers.form.steps.token'), done: step === 2 && tested, current: step === 2 && !tested },
    { label: t('servers.form.steps.save'), done: false, current: step === 2 && tested },
  ];
  const currentIndex = steps.findIndex((s) => s.current);
  return (
    <div>
      <ol className="grid grid-cols-3 gap-2" aria-label={t('servers.form.steps.label')}>
        {steps.map(({ label, done, current }, i) => (
          <li key={label} aria-current={current ? 'step' : undefined} className="min-w-0">
            <div
              className={cn(
                'h-1 rounded-full bg-muted transition-colors',
                done && 'bg-primary',
                current && 'bg-primary/60',
              )}
            />
            {/* Phones have room for one label, the current step's, shown below; screen readers still get them all. */}
            <p
              className={cn(
                'sr-only mt-2 items-center gap-1.5 truncate text-xs font-medium sm:not-sr-only sm:flex',
                current ? 'text-foreground' : 'text-muted-foreground',
              )}
            >
              <span
                className={cn(
                  'flex size-4.5 shrink-0 items-center justify-center rounded-full border text-[0.625rem] tabular-nums',
                  done && 'border-primary bg-primary text-primary-foreground',
                  current && 'border-primary text-primary',
                )}
                aria-hidden
              >
                {done ? <Check className="size-3" strokeWidth={3} /> : i + 1}
              </span>
              <span className="truncate">{label}</span>
              {done ? <span className="sr-only">({t('servers.form.steps.done')})</span> : null}
            </p>
          </li>
        ))}
      </ol>
      <p aria-hidden className="mt-2 text-xs font-medium sm:hidden">
        {t('servers.form.steps.progress', {
          step: currentIndex + 1,
          count: steps.length,
          label: steps[currentIndex]!.label,
        })}
      </p>
    </div>
  );
}

function NameField({ form }: { form: ServerForm }) {
  const t = useT();
  return (
    <FormField label={t('servers.form.name')} hint={t('servers.form.nameHint')} error={form.errors.name}>
      {(control) => (
        <Input
          {...control}
          name="name"
          autoComplete="off"
          maxLength={80}
          placeholder={t('servers.form.namePlaceholder')}
          value={form.values.name}
          onChange={(e) => form.setField('name', e.target.value)}
          data-testid="server-name"
        />
      )}
    </FormField>
  );
}

/** The address, the certificate fetched from it, and the CA alternative. */
function ConnectionFields({ form, current }: { form: ServerForm; current?: Server }) {
  const t = useT();
  const showCurrentPin = current?.tls.fingerprint && !form.probe && form.url === current.url;
  return (
    <div className="grid gap-4">
      <div className="grid gap-2">
        <FormField
          label={t('servers.form.url')}
          hint={t('servers.form.urlHint')}
          error={form.errors.url}
          className="min-w-0 flex-1"
        >
          {(control) => (
            <div className="flex flex-col gap-2 sm:flex-row">
              <Input
                {...control}
                name="url"
                type="url"
                inputMode="url"
                autoComplete="off"
                spellCheck={false}
                placeholder="https://pve1.example.edu:8006"
                value={form.values.url}
                onChange={(e) => form.setField('url', e.target.value)}
                onBlur={(e) => {
                  const fixed = withScheme(e.target.value);
                  if (fixed !== e.target.value) form.setField('url', fixed);
                }}
                className="font-mono text-[0.8125rem]"
                data-testid="server-url"
              />
              <Button
                variant={form.probe ? 'outline' : 'secondary'}
                onClick={form.fetchCertificate}
                pending={form.fetching}
                className="sm:w-auto"
                data-testid="fetch-certificate"
              >
                {form.fetching ? null : <FileBadge aria-hidden />}
                {form.fetching
                  ? t('servers.form.fetching')
                  : form.probe || showCurrentPin
                    ? t('servers.form.fetchAgain')
                    : t('servers.form.fetchCertificate')}
              </Button>
            </div>
          )}
        </FormField>
      </div>

      {form.probe ? (
        <CertificatePanel
          url={form.probe.url}
          certificate={form.probe.certificate}
          fetchedAt={form.probe.fetchedAt}
          confirmed={form.confirmed}
          onConfirmedChange={form.setConfirmed}
          error={form.errors.trust}
        />
      ) : showCurrentPin ? (
        <div className="space-y-1.5 rounded-lg border bg-muted/25 p-4" data-testid="current-fingerprint">
          <p className="flex items-center gap-1.5 text-xs font-medium text-muted-foreground">
            <ShieldCheck className="size-3.5 text-success" aria-hidden />
            {t('servers.certificate.pinned')}
          </p>
          <Fingerprint value={current.tls.fingerprint!} className="text-foreground" />
          <p className="text-xs text-muted-foreground">{t('servers.certificate.pinnedHint')}</p>
        </div>
      ) : form.errors.trust ? (
        <p className="-mt-2 text-[0.8125rem] font-medium text-destructive" role="alert" data-testid="trust-error">
          {form.errors.trust}
        </p>
      ) : null}

      <CaSection form={form} defaultOpen={Boolean(current?.tls.caPem)} />
    </div>
  );
}

function CaSection({ form, defaultOpen }: { form: ServerForm; defaultOpen: boolean }) {
  const t = useT();
  const [open, setOpen] = useState(defaultOpen || form.values.caPem !== '');
  return (
    <Collapsible open={open} onOpenChange={setOpen} className="rounded-lg border">
      <CollapsibleTrigger asChild>
        <button
          type="button"
          className="flex w-full items-center justify-between gap-3 rounded-lg px-4 py-3 text-left text-sm font-medium hover:bg-accent/50 focus-visible:outline-2 focus-visible:outline-ring"
          data-testid="ca-toggle"
        >
          <span>{t('servers.ca.toggle')}</span>
          <ChevronDown className={cn('size-4 shrink-0 transition-transform', open && 'rotate-180')} aria-hidden />
        </button>
      </CollapsibleTrigger>
      <CollapsibleContent className="border-t px-4 pb-4 pt-3">
        <FormField label={t('servers.ca.label')} hint={t('servers.ca.hint')} error={form.errors.caPem}>
          {(control) => (
            <Textarea
              {...control}
              name="caPem"
              rows={6}
              spellCheck={false}
              placeholder={'-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----'}
              value={form.values.caPem}
              onChange={(e) => form.setField('caPem', e.target.value)}
              className="font-mono text-xs"
              data-testid="ca-pem"
            />
          )}
        </FormField>
      </CollapsibleContent>
    </Collapsible>
  );
}

function TokenFields({ form }: { form: ServerForm }) {
  const t = useT();
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      {/* content-start: side by side, the field with the shorter hint must not spread its rows to match. */}
      <FormField
        label={t('servers.form.tokenId')}
        hint={t('servers.form.tokenIdHint')}
        error={form.errors.tokenId}
        className="content-start"
      >
        {(control) => (
          <Input
            {...control}
            name="tokenId"
            autoComplete="off"
            spellCheck={false}
            placeholder="uni-manager@pve!vmpanel"
            value={form.values.tokenId}
            onChange={(e) => form.setField('tokenId', e.target.value)}
            className="font-mono text-[0.8125rem]"
            data-testid="token-id"
          />
        )}
      </FormField>
      <FormField
        label={t('servers.form.tokenSecret')}
        hint={form.editing ? t('servers.form.tokenSecretKeep') : t('servers.form.tokenSecretHint')}
        error={form.errors.tokenSecret}
        className="content-start"
      >
        {(control) => (
          <PasswordInput
            {...control}
            name="tokenSecret"
            autoComplete="new-password"
            spellCheck={false}
            placeholder={form.editing ? t('servers.form.tokenSecretKeepPlaceholder') : undefined}
            showLabel={t('servers.form.showSecret')}
            hideLabel={t('servers.form.hideSecret')}
            value={form.values.tokenSecret}
            onChange={(e) => form.setField('tokenSecret', e.target.value)}
            className="font-mono text-[0.8125rem]"
            data-testid="token-secret"
          />
        )}
      </FormField>
    </div>
  );
}

function TestSection({ form, onTest }: { form: ServerForm; onTest: () => void }) {
  const t = useT();
  let status: ReactNode = null;
  if (form.test?.ok) status = form.editing ? null : t('servers.form.testPassed');
  else if (form.staleTest) status = t('servers.form.retest');
  else if (!form.test && !form.editing) status = t('servers.form.testFirst');

  return (
    <div className="grid gap-3">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:gap-3">
        <Button
          variant={form.test?.ok ? 'outline' : 'secondary'}
          onClick={onTest}
          pending={form.testing}
          data-testid="test-connection"
        >
          {form.testing ? null : <PlugZap aria-hidden />}
          {form.testing ? t('servers.form.testing') : t('servers.form.test')}
        </Button>
        {status ? (
          <p
            className={cn('text-[0.8125rem]', form.test?.ok ? 'text-success' : 'text-muted-foreground')}
            aria-live="polite"
          >
            {status}
          </p>
        ) : null}
      </div>
      {form.test ? <ConnectionResult result={form.test} /> : null}
    </div>
  );
}

/** Step two recalls what step one settled, with a way back to change it. */
function Summary({ form, onEdit }: { form: ServerForm; onEdit: () => void }) {
  const t = useT();
  return (
    <div className="flex items-start justify-between gap-3 rounded-lg border bg-muted/25 px-4 py-3 text-sm">
      <div className="min-w-0 space-y-0.5">
        <p className="truncate font-medium">{form.values.name.trim()}</p>
        <p className="truncate font-mono text-xs text-muted-foreground">{form.url}</p>
        <p className="flex items-center gap-1.5 text-xs text-muted-foreground">
          <ShieldCheck className="size-3.5 text-success" aria-hidden />
          {form.tls.caPem
            ? form.tls.fingerprint
              ? t('servers.trust.both')
              : t('servers.trust.ca')
            : t('servers.trust.fingerprint')}
        </p>
      </div>
      <Button variant="link" size="sm" className="h-auto shrink-0 py-0" onClick={onEdit}>
        {t('servers.form.change')}
      </Button>
    </div>
  );
}
