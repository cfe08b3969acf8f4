import {
  adminOverviewSchema,
  adminTransactionPageSchema,
  balanceSchema,
  batchGrantResultSchema,
  billingReportSchema,
  billingRunPageSchema,
  billingRunSchema,
  billingSettingsSchema,
  creditPackageListSchema,
  creditPackageSchema,
  paths,
  transactionPageSchema,
  transactionSchema,
  type AdjustCreditsBody,
  type AdminListTransactionsQuery,
  type AdminOverview,
  type AdminTransactionPage,
  type Balance,
  type BatchGrantBody,
  type BatchGrantResult,
  type BillingProfileBody,
  type BillingReport,
  type BillingReportQuery,
  type BillingRun,
  type BillingSettings,
  type CreditPackage,
  type CreditPackageBody,
  type ListTransactionsQuery,
  type Transaction,
  type TransactionPage,
} from '@uni-manager/contracts';
import { downloadFile } from './download';
import { apiRequest } from './http';

export function fetchBillingSettings(signal?: AbortSignal): Promise<BillingSettings> {
  return apiRequest(paths.billingSettings, { schema: billingSettingsSchema, signal });
}

// ---- One user ----

export function fetchUserBalance(id: string, signal?: AbortSignal): Promise<Balance> {
  return apiRequest(paths.adminUserBalance, { params: { id }, schema: balanceSchema, signal });
}

export function adjustUserCredits(id: string, body: AdjustCreditsBody): Promise<Transaction> {
  return apiRequest(paths.adminUserCredits, { method: 'POST', params: { id }, body, schema: transactionSchema });
}

export function updateUserBilling(id: string, body: BillingProfileBody): Promise<Balance> {
  return apiRequest(paths.adminUserBilling, { method: 'PATCH', params: { id }, body, schema: balanceSchema });
}

export function fetchUserTransactions(
  id: string,
  query: ListTransactionsQuery,
  signal?: AbortSignal,
): Promise<TransactionPage> {
  return apiRequest(paths.adminUserTransactions, {
    params: { id },
    query: { ...query },
    schema: transactionPageSchema,
    signal,
  });
}

// ---- The platform ----

export function grantToMany(body: BatchGrantBody): Promise<BatchGrantResult> {
  return apiRequest(paths.adminGrants, { method: 'POST', body, schema: batchGrantResultSchema });
}

export function fetchAdminTransactions(
  query: AdminListTransactionsQuery,
  signal?: AbortSignal,
): Promise<AdminTransactionPage> {
  return apiRequest(paths.adminTransactions, { query: { ...query }, schema: adminTransactionPageSchema, signal });
}

/** The same filters as the list, every page at once, saved as a CSV file. */
export function downloadAdminTransactionsCsv(
  query: Omit<AdminListTransactionsQuery, 'page' | 'pageSize'>,
): Promise<void> {
  return downloadFile(paths.adminTransactionsCsv, {
    query: { ...query },
    accept: 'text/csv',
    fallbackName: 'transactions.csv',
  });
}

export function reverseTransaction(id: string, reason: string): Promise<Transaction> {
  return apiRequest(paths.adminTransferReverse, {
    method: 'POST',
    params: { id },
    body: { reason },
    schema: transactionSchema,
  });
}

export function fetchBillingReport(query: BillingReportQuery, signal?: AbortSignal): Promise<BillingReport> {
  return apiRequest(paths.adminBillingReport, { query: { ...query }, schema: billingReportSchema, signal });
}

export function fetchBillingRuns(page: number, pageSize: number, signal?: AbortSignal) {
  return apiRequest(paths.adminBillingRuns, { query: { page, pageSize }, schema: billingRunPageSchema, signal });
}

/** Charges every VM's usage up to now. */
export function runBillingNow(): Promise<BillingRun> {
  return apiRequest(paths.adminBillingRuns, { method: 'POST', body: {}, schema: billingRunSchema });
}

export function fetchAdminOverview(signal?: AbortSignal): Promise<AdminOverview> {
  return apiRequest(paths.adminOverview, { schema: adminOverviewSchema, signal });
}

// ---- Credit packages (payments) ----

export async function fetchCreditPackages(signal?: AbortSignal): Promise<CreditPackage[]> {
  const list = await apiRequest(paths.adminCreditPackages, { schema: creditPackageListSchema, signal });
  return list.items;
}

export function createCreditPackage(body: CreditPackageBody): Promise<CreditPackage> {
  return apiRequest(paths.adminCreditPackages, { method: 'POST', body, schema: creditPackageSchema });
}

/** Sends every field, so the package ends up exactly as the form shows it. */
export function updateCreditPackage(id: string, body: CreditPackageBody): Promise<CreditPackage> {
  return apiRequest(paths.adminCreditPackage, { method: 'PATCH', params: { id }, body, schema: creditPackageSchema });
}

export function deleteCreditPackage(id: string): Promise<void> {
  return apiRequest(paths.adminCreditPackage, { method: 'DELETE', params: { id } });
}
