import {
  balanceSchema,
  checkoutSessionSchema,
  creditPackageListSchema,
  paths,
  spendSeriesSchema,
  transactionPageSchema,
  vmBillingSchema,
  type Balance,
  type CheckoutSession,
  type CreditPackage,
  type ListTransactionsQuery,
  type SpendSeries,
  type TransactionPage,
  type VmBilling,
} from '@uni-manager/contracts';
import { downloadFile } from './download';
import { apiRequest } from './http';

// The billing settings (GET /billing/settings) are fetched by fetchBillingSettings in ./admin-billing.

/** The CSV export takes the list's filters, without its paging. */
export type TransactionFilters = Omit<ListTransactionsQuery, 'page' | 'pageSize'>;

/** The caller's balance now, with what their VMs have used since the last charge taken off. */
export function fetchMyBalance(signal?: AbortSignal): Promise<Balance> {
  return apiRequest(paths.myBalance, { schema: balanceSchema, signal });
}

export function fetchMyTransactions(query: ListTransactionsQuery, signal?: AbortSignal): Promise<TransactionPage> {
  return apiRequest(paths.myTransactions, { query: { ...query }, schema: transactionPageSchema, signal });
}

/** The same transactions, with the same filters, as a CSV file the browser saves. */
export function downloadMyTransactionsCsv(filters: TransactionFilters): Promise<void> {
  return downloadFile(paths.myTransactionsCsv, {
    query: { ...filters },
    accept: 'text/csv',
    fallbackName: 'transactions.csv',
  });
}

/** What was spent on each of the last `days` days (UTC), oldest first. */
export function fetchMySpend(days: number, signal?: AbortSignal): Promise<SpendSeries> {
  return apiRequest(paths.mySpend, { query: { days }, schema: spendSeriesSchema, signal });
}

/** A VM's rates, its monthly cap and what it has cost so far. */
export function fetchVmBilling(id: string, signal?: AbortSignal): Promise<VmBilling> {
  return apiRequest(paths.vmBilling, { params: { id }, schema: vmBillingSchema, signal });
}

/** The packages of credits on sale (payments enabled only). */
export async function fetchPackagesForSale(signal?: AbortSignal): Promise<CreditPackage[]> {
  const { items } = await apiRequest(paths.creditPackages, { schema: creditPackageListSchema, signal });
  return items;
}

/** Opens a checkout session with the payment provider; the browser goes to its url next. */
export function startCheckout(packageId: string): Promise<CheckoutSession> {
  return apiRequest(paths.checkout, { method: 'POST', body: { packageId }, schema: checkoutSessionSchema });
}
