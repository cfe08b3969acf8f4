'use client';

import { creditPackageBodySchema, type CreditPackage, type CreditPackageBody } from '@uni-manager/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, type FormEvent } from 'react';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
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
import { Switch } from '@/components/ui/switch';
import { createCreditPackage, updateCreditPackage } from '@/lib/api/admin-billing';
import { ApiError } from '@/lib/api/errors';
import { queryKeys } from '@/lib/api/query-keys';
import { creditsInput, decimalSeparator } from '@/lib/credits';
import { useFormFields } from '@/lib/forms/use-form-fields';
import { fieldErrorsFromApi, validate } from '@/lib/forms/validate';
import { intlLocale } from '@/lib/i18n/config';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { formatPrice, parsePrice, priceInput } from '@/lib/prices';
import { describeBillingError } from './billing-errors';
import { CreditsField, readCredits } from './credits-field';

/** Stripe's smallest charge, the contract's floor. */
const MIN_PRICE = 50;

interface PackageFormDialogProps {
  /** `null` to create one; the package to edit; undefined when closed. */
  target: CreditPackage | null | undefined;
  /** The currency a new package starts with: the one the others use. */
  defaultCurrency: string;
  onClose: () => void;
}

export function PackageFormDialog({ target, defaultCurrency, onClose }: PackageFormDialogProps) {
  const { t } = useI18n();
  return (
    <Dialog open={target !== undefined} onOpenChange={(open) => !open && onClose()}>
      {target !== undefined ? (
        <DialogContent closeLabel={t('common.close')} data-testid="package-form-dialog">
          <PackageForm key={target?.id ?? 'new'} pkg={target} defaultCurrency={defaultCurrency} onClose={onClose} />
        </DialogContent>
      ) : null}
    </Dialog>
  );
}

type Field = 'name' | 'credits' | 'price' | 'currency';

function PackageForm({
  pkg,
  defaultCurrency,
  onClose,
}: {
  pkg: CreditPackage | null;
  defaultCurrency: string;
  onClose: () => void;
}) {
  const { t, dict, locale } = useI18n();
  const queryClient = useQueryClient();
  const activeId = useId();
  const sep = decimalSeparator(locale);
  const { formRef, values, errors, formError, setFormError, update, showErrors } = useFormFields({
    name: pkg?.name ?? '',
    credits: pkg ? creditsInput(pkg.credits, sep) : '',
    price: pkg ? priceInput(pkg.priceCents, pkg.currency, sep) : '',
    currency: (pkg?.currency ?? defaultCurrency).toUpperCase(),
    active: pkg?.active === false ? 'false' : 'true',
  });
  const mutation = useMutation({
    mutationFn: (body: CreditPackageBody) => (pkg ? updateCreditPackage(pkg.id, body) : createCreditPackage(body)),
    meta: { silent: true },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.adminCreditPackages }),
  });

  const currency = values.currency.trim().toLowerCase();
  const currencyOk = /^[a-z]{3}$/.test(currency);
  const cents = currencyOk ? parsePrice(values.price, currency) : null;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const named = validate(creditPackageBodySchema.pick({ name: true }), { name: values.name }, t);
    const amount = readCredits(values.credits, t);
    const found: Partial<Record<Field, string>> = {
      name: named.ok ? undefined : named.errors.name,
      credits: amount.ok ? undefined : amount.error,
      currency: currencyOk ? undefined : t('adminBilling.packages.currencyInvalid'),
      price: !values.price.trim()
        ? t('validation.required')
        : !currencyOk
          ? undefined
          : cents === null
            ? t('adminBilling.packages.priceInvalid')
            : cents < MIN_PRICE
              ? t('adminBilling.packages.priceTooLow', { min: formatPrice(MIN_PRICE, currency, intlLocale[locale]) })
              : undefined,
    };
    if (!named.ok || !amount.ok || Object.values(found).some(Boolean) || cents === null) {
      showErrors(found);
      return;
    }
    try {
      const saved = await mutation.mutateAsync({
        name: named.data.name,
        credits: amount.minor,
        priceCents: cents,
        currency,
        active: values.active === 'true',
      });
      toast.success(t(pkg ? 'adminBilling.packages.updated' : 'adminBilling.packages.created', { name: saved.name }));
      onClose();
    } catch (err) {
      if (err instanceof ApiError) {
        const fields = fieldErrorsFromApi(err, ['name', 'credits', 'priceCents', 'currency'] as const);
        const mapped = {
          name: fields.name,
          credits: fields.credits,
          price: fields.priceCents,
          currency: fields.currency,
        };
        if (Object.values(mapped).some(Boolean)) {
          showErrors(mapped);
          return;
        }
      }
      setFormError(describeBillingError(err, t, dict));
    }
  }

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} className="grid gap-5">
      <DialogHeader>
        <DialogTitle>
          {pkg ? t('adminBilling.packages.editTitle', { name: pkg.name }) : t('adminBilling.packages.createTitle')}
        </DialogTitle>
        <DialogDescription>{t('adminBilling.packages.formDescription')}</DialogDescription>
      </DialogHeader>
      <FormField label={t('adminBilling.packages.name')} error={errors.name}>
        {(control) => (
          <Input
            {...control}
            name="name"
            maxLength={80}
            autoFocus
            autoComplete="off"
            value={values.name}
            onChange={(e) => update('name', e.target.value)}
            placeholder={t('adminBilling.packages.namePlaceholder')}
            data-testid="package-name"
          />
        )}
      </FormField>
      <CreditsField
        label={t('adminBilling.packages.credits')}
        name="credits"
        value={values.credits}
        onChange={(v) => update('credits', v)}
        error={errors.credits}
        testId="package-credits"
      />
      <div className="grid grid-cols-[1fr_6rem] gap-3">
        <FormField
          label={t('adminBilling.packages.price')}
          error={errors.price}
          hint={
            cents !== null && currencyOk
              ? t('adminBilling.packages.pricePreview', { price: formatPrice(cents, currency, intlLocale[locale]) })
              : undefined
          }
        >
          {(control) => (
            <Input
              {...control}
              name="price"
              inputMode="decimal"
              autoComplete="off"
              value={values.price}
              onChange={(e) => update('price', e.target.value)}
              className="tabular-nums"
              data-testid="package-price"
            />
          )}
        </FormField>
        <FormField label={t('adminBilling.packages.currency')} error={errors.currency}>
          {(control) => (
            <Input
              {...control}
              name="currency"
              maxLength={3}
              autoComplete="off"
              spellCheck={false}
              value={values.currency}
              onChange={(e) => update('currency', e.target.value.toUpperCase())}
              className="font-mono uppercase"
              data-testid="package-currency"
            />
          )}
        </FormField>
      </div>
      <div className="flex items-start justify-between gap-4">
        <div className="space-y-1">
          <Label htmlFor={activeId}>{t('adminBilling.packages.activeLabel')}</Label>
          <p className="text-[0.8125rem] text-muted-foreground">{t('adminBilling.packages.activeHint')}</p>
        </div>
        <Switch
          id={activeId}
          checked={values.active === 'true'}
          onCheckedChange={(on) => update('active', on ? 'true' : 'false')}
          data-testid="package-active"
        />
      </div>
      {formError ? <Alert tone="destructive">{formError}</Alert> : null}
      <DialogFooter>
        <Button variant="outline" onClick={onClose} disabled={mutation.isPending}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" pending={mutation.isPending} data-testid="package-submit">
          {mutation.isPending ? t('common.saving') : pkg ? t('common.save') : t('adminBilling.packages.create')}
        </Button>
      </DialogFooter>
    </form>
  );
}
