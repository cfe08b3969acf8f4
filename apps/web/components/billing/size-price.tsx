'use client';

import { ratesOf, type CatalogTemplate, type PriceList, type Rate, type Size } from '@uni-manager/contracts';
import { PriceTable } from '@/components/vms/vm-details-card';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { useMoney } from './money';
import { useBillingSettings } from './use-billing';

/** A template's prices cover its default size; each unit above it adds its unit price. */
export function priceListOf(template: CatalogTemplate): PriceList {
  return {
    priceRunningPerHour: template.priceRunningPerHour,
    priceStoppedPerHour: template.priceStoppedPerHour,
    unitPrices: template.unitPrices,
    base: template.defaults,
  };
}

/** The rates a VM of this size would have, as the API will compute them. */
export function ratesFor(template: CatalogTemplate, size: Size): Rate {
  return ratesOf(priceListOf(template), size);
}

/** The monthly cap for a VM of this running rate, or the absence of one. */
export function MonthlyCapLine({ runningPerHour }: { runningPerHour: number }) {
  const { t, format } = useI18n();
  const money = useMoney();
  const settings = useBillingSettings().data;
  if (!settings) return null;
  const hours = settings.monthlyCapHours;
  return (
    <p className="text-xs text-muted-foreground text-pretty" data-testid="monthly-cap">
      {hours > 0
        ? t('credits.cap.line', {
            hours: format.number(hours),
            amount: money.withUnit(runningPerHour * hours),
          })
        : t('credits.cap.none')}
    </p>
  );
}

/**
 * What the chosen size costs per hour, day and month, running and stopped,
 * with the monthly cap: the wizard shows it as the size changes.
 */
export function SizePrice({ template, size }: { template: CatalogTemplate; size: Size }) {
  const { t } = useI18n();
  const rates = ratesFor(template, size);
  const base = ratesFor(template, template.defaults);
  const extra = rates.runningPerHour - base.runningPerHour;
  const money = useMoney();
  return (
    <div className="space-y-3" data-testid="size-price">
      <PriceTable runningPerHour={rates.runningPerHour} stoppedPerHour={rates.stoppedPerHour} />
      {extra > 0 ? (
        <p className="text-xs text-muted-foreground">
          {t('credits.sizePrice.extra', { amount: money.perHour(extra) })}
        </p>
      ) : null}
      <MonthlyCapLine runningPerHour={rates.runningPerHour} />
    </div>
  );
}
