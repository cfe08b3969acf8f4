'use client';

import {
  accountStates,
  batchGrantBodySchema,
  roles,
  type AccountState,
  type BatchGrantBody,
  type BatchGrantResult,
  type ListUsersQuery,
  type Role,
} from '@uni-manager/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CircleCheck, Copy, Users } from 'lucide-react';
import { useDeferredValue, useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { DialogIcon } from '@/components/ui/confirm-dialog';
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
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { Textarea } from '@/components/ui/textarea';
import { grantToMany } from '@/lib/api/admin-billing';
import { fetchUsers } from '@/lib/api/admin-users';
import { ApiError } from '@/lib/api/errors';
import { queryKeys } from '@/lib/api/query-keys';
import { useFormFields } from '@/lib/forms/use-form-fields';
import { fieldErrorsFromApi, validate } from '@/lib/forms/validate';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { describeBillingError } from './billing-errors';
import { CreditsField, readCredits } from './credits-field';
import { newRequestId } from './ids';
import { useCredits } from './money';
import { ReasonField } from './reason-field';

const ALL = 'all';
const MAX_EMAILS = 5000;
type Mode = 'filter' | 'emails';

/** Addresses pasted one per line, or separated by commas, semicolons or spaces; each once. */
export function parseEmails(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[\s,;]+/)) {
    const email = part.trim().replace(/^<|>$/g, '').toLowerCase();
    if (email) seen.add(email);
  }
  return [...seen];
}

export function BatchGrantDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog open={open} onOpenChange={(next) => !next && onClose()}>
      {open ? (
        <DialogContent className="max-w-xl" closeLabel={t('common.close')} data-testid="batch-grant-dialog">
          {/* Mounted per opening: one batch id per opening, so sending it twice grants nobody twice. */}
          <BatchGrantBodyView onClose={onClose} />
        </DialogContent>
      ) : null}
    </Dialog>
  );
}

function BatchGrantBodyView({ onClose }: { onClose: () => void }) {
  const [result, setResult] = useState<BatchGrantResult | null>(null);
  return result ? (
    <BatchResult result={result} onClose={onClose} />
  ) : (
    <BatchForm onDone={setResult} onClose={onClose} />
  );
}

function BatchForm({ onDone, onClose }: { onDone: (result: BatchGrantResult) => void; onClose: () => void }) {
  const { t, dict, format } = useI18n();
  const credits = useCredits();
  const queryClient = useQueryClient();
  const [batchId] = useState(newRequestId);
  const [mode, setMode] = useState<Mode>('filter');
  const [role, setRole] = useState<Role>();
  const [state, setState] = useState<AccountState | undefined>('active');
  const { formRef, values, errors, formError, setFormError, update, showErrors } = useFormFields({
    q: '',
    emails: '',
    amount: '',
    reason: '',
  });
  const q = useDeferredValue(values.q.trim());
  const countQuery: ListUsersQuery = {
    q: q || undefined,
    role,
    state,
    sort: 'createdAt',
    order: 'desc',
    page: 1,
    pageSize: 1,
  };
  // How many accounts the filter reaches, with the users list's own search: the admin sees the reach before sending.
  const matching = useQuery({
    queryKey: queryKeys.adminUsers(countQuery),
    queryFn: ({ signal }) => fetchUsers(countQuery, signal),
    select: (page) => page.total,
    enabled: mode === 'filter',
    meta: { silent: true },
  });
  const emails = parseEmails(values.emails);
  const mutation = useMutation({
    mutationFn: (body: BatchGrantBody) => grantToMany(body),
    meta: { silent: true },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.admin }),
  });
  const amount = readCredits(values.amount, t);
  const reach = mode === 'filter' ? matching.data : emails.length;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const reason = validate(batchGrantBodySchema.pick({ reason: true }), { reason: values.reason }, t);
    const found = {
      amount: amount.ok ? undefined : amount.error,
      reason: reason.ok ? undefined : reason.errors.reason,
      emails:
        mode !== 'emails'
          ? undefined
          : emails.length === 0
            ? t('adminBilling.batch.emailsRequired')
            : emails.length > MAX_EMAILS
              ? t('adminBilling.batch.emailsTooMany', { max: format.number(MAX_EMAILS) })
              : undefined,
    };
    if (!amount.ok || !reason.ok || found.emails) {
      showErrors(found);
      return;
    }
    if (mode === 'filter' && matching.data === 0) {
      setFormError(t('adminBilling.batch.nobody'));
      return;
    }
    const target: BatchGrantBody['target'] =
      mode === 'emails' ? { emails } : { filter: { role, state, q: values.q.trim() || undefined } };
    try {
      const result = await mutation.mutateAsync({ batchId, amount: amount.minor, reason: reason.data.reason, target });
      toast.success(t('adminBilling.batch.done', { count: result.granted, amount: credits.withUnit(result.total) }));
      onDone(result);
    } catch (err) {
      const fields = err instanceof ApiError ? fieldErrorsFromApi(err, ['amount', 'reason', 'emails'] as const) : {};
      if (fields.amount || fields.reason || fields.emails) showErrors(fields);
      else setFormError(describeBillingError(err, t, dict));
    }
  }

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} className="grid gap-5">
      <DialogHeader className="flex-row items-start gap-4">
        <DialogIcon tone="info">
          <Users aria-hidden />
        </DialogIcon>
        <div className="grid gap-1.5">
          <DialogTitle>{t('adminBilling.batch.title')}</DialogTitle>
          <DialogDescription>{t('adminBilling.batch.description')}</DialogDescription>
        </div>
      </DialogHeader>
      <Tabs value={mode} onValueChange={(v) => setMode(v as Mode)}>
        <TabsList className="grid w-full grid-cols-2">
          <TabsTrigger value="filter" data-testid="batch-mode-filter">
            {t('adminBilling.batch.byFilter')}
          </TabsTrigger>
          <TabsTrigger value="emails" data-testid="batch-mode-emails">
            {t('adminBilling.batch.byEmails')}
          </TabsTrigger>
        </TabsList>
        <TabsContent value="filter" className="grid gap-4">
          <div className="grid grid-cols-2 gap-3">
            <div className="grid gap-2">
              <Label id="batch-role-label">{t('adminBilling.batch.role')}</Label>
              <Select value={role ?? ALL} onValueChange={(v) => setRole(v === ALL ? undefined : (v as Role))}>
                <SelectTrigger aria-labelledby="batch-role-label" data-testid="batch-role">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value={ALL}>{t('users.allRoles')}</SelectItem>
                  {roles.map((r) => (
                    <SelectItem key={r} value={r}>
                      {dict.roles[r]}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>
            <div className="grid gap-2">
              <Label id="batch-state-label">{t('adminBilling.batch.state')}</Label>
              <Select value={state ?? ALL} onValueChange={(v) => setState(v === ALL ? undefined : (v as AccountState))}>
                <SelectTrigger aria-labelledby="batch-state-label" data-testid="batch-state">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value={ALL}>{t('users.allStates')}</SelectItem>
                  {accountStates.map((s) => (
                    <SelectItem key={s} value={s}>
                      {dict.states[s]}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>
          </div>
          <FormField label={t('adminBilling.batch.search')} hint={t('adminBilling.batch.searchHint')}>
            {(control) => (
              <Input
                {...control}
                name="q"
                maxLength={200}
                autoComplete="off"
                value={values.q}
                onChange={(e) => update('q', e.target.value)}
                placeholder={t('users.searchPlaceholder')}
                data-testid="batch-search"
              />
            )}
          </FormField>
          <p className="text-sm" aria-live="polite" data-testid="batch-reach">
            {matching.data === undefined
              ? t('adminBilling.batch.counting')
              : t('adminBilling.batch.matching', { count: format.number(matching.data) })}
          </p>
        </TabsContent>
        <TabsContent value="emails" className="grid gap-2">
          <FormField
            label={t('adminBilling.batch.emails')}
            hint={
              emails.length > 0
                ? t('adminBilling.batch.emailsCount', { count: format.number(emails.length) })
                : t('adminBilling.batch.emailsHint')
            }
            error={errors.emails}
          >
            {(control) => (
              <Textarea
                {...control}
                name="emails"
                rows={6}
                spellCheck={false}
                value={values.emails}
                onChange={(e) => update('emails', e.target.value)}
                placeholder={'ada@example.org\ngrace@example.org'}
                className="font-mono text-[0.8125rem]"
                data-testid="batch-emails"
              />
            )}
          </FormField>
        </TabsContent>
      </Tabs>
      <CreditsField
        label={t('adminBilling.batch.amount')}
        name="amount"
        value={values.amount}
        onChange={(v) => update('amount', v)}
        error={errors.amount}
        testId="batch-amount"
        hint={
          amount.ok && reach
            ? t('adminBilling.batch.totalHint', { total: credits.withUnit(amount.minor * reach) })
            : t('adminBilling.batch.amountHint')
        }
      />
      <ReasonField
        value={values.reason}
        onChange={(v) => update('reason', v)}
        hint={t('adminBilling.batch.reasonHint')}
        error={errors.reason}
        testId="batch-reason"
        rows={2}
      />
      {formError ? <Alert tone="destructive">{formError}</Alert> : null}
      <DialogFooter>
        <Button variant="outline" onClick={onClose} disabled={mutation.isPending}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" pending={mutation.isPending} data-testid="batch-submit">
          {mutation.isPending
            ? t('adminBilling.working')
            : reach
              ? t(mode === 'filter' ? 'adminBilling.batch.submitUsers' : 'adminBilling.batch.submitEmails', {
                  count: reach,
                })
              : t('adminBilling.batch.submit')}
        </Button>
      </DialogFooter>
    </form>
  );
}

function BatchResult({ result, onClose }: { result: BatchGrantResult; onClose: () => void }) {
  const { t, format } = useI18n();
  const credits = useCredits();
  const missing = result.notFound;

  async function copyMissing() {
    try {
      await navigator.clipboard.writeText(missing.join('\n'));
      toast.success(t('common.copied'));
    } catch {
      // Without clipboard access the list is still there to select by hand.
    }
  }

  return (
    <div className="grid gap-5" data-testid="batch-result">
      <DialogHeader className="flex-row items-start gap-4">
        <DialogIcon tone="info">
          <CircleCheck aria-hidden />
        </DialogIcon>
        <div className="grid gap-1.5">
          <DialogTitle>{t('adminBilling.batch.resultTitle')}</DialogTitle>
          <DialogDescription>{t('adminBilling.batch.resultDescription')}</DialogDescription>
        </div>
      </DialogHeader>
      <dl className="grid grid-cols-3 gap-3">
        {(
          [
            ['granted', format.number(result.granted), 'text-success'],
            ['alreadyGranted', format.number(result.alreadyGranted), ''],
            ['notFound', format.number(missing.length), missing.length > 0 ? 'text-warning' : ''],
          ] as const
        ).map(([key, value, tone]) => (
          <div key={key} className="rounded-lg border p-3" data-result={key}>
            <dt className="text-xs text-muted-foreground">{t(`adminBilling.batch.result.${key}`)}</dt>
            <dd className={cn('mt-1 text-2xl font-semibold tabular-nums', tone)}>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="text-sm">{t('adminBilling.batch.resultTotal', { total: credits.withUnit(result.total) })}</p>
      {missing.length > 0 ? (
        <div className="grid gap-2">
          <div className="flex items-center justify-between gap-2">
            <p className="text-sm font-medium">{t('adminBilling.batch.notFoundTitle')}</p>
            <Button variant="ghost" size="sm" onClick={() => void copyMissing()}>
              <Copy aria-hidden />
              {t('common.copy')}
            </Button>
          </div>
          <ul
            className="max-h-40 overflow-y-auto rounded-lg border bg-muted/30 p-3 font-mono text-xs"
            data-testid="batch-not-found"
          >
            {missing.map((email) => (
              <li key={email} className="break-all py-0.5">
                {email}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <DialogFooter>
        <Button onClick={onClose} data-testid="batch-close">
          {t('common.close')}
        </Button>
      </DialogFooter>
    </div>
  );
}
