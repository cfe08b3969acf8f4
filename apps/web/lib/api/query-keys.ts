import type {
  AdminListTransactionsQuery,
  AdminListVmsQuery,
  BillingReportQuery,
  HealthRange,
  ListAuditQuery,
  ListTransactionsQuery,
  ListUsersQuery,
  ListVmsQuery,
} from '@uni-manager/contracts';

/**
 * Keys are nested so one prefix invalidates a family: after an admin action
 * `['admin']` refreshes the users list, the user's page and the audit log.
 */
export const queryKeys = {
  me: ['me'] as const,
  mySessions: ['me', 'sessions'] as const,
  myEvents: (page: number, pageSize: number) => ['me', 'events', { page, pageSize }] as const,
  admin: ['admin'] as const,
  adminUsers: (query: ListUsersQuery) => ['admin', 'users', query] as const,
  adminUser: (id: string) => ['admin', 'user', id] as const,
  adminAudit: (query: ListAuditQuery) => ['admin', 'audit', query] as const,
  adminServers: ['admin', 'servers'] as const,
  adminServer: (id: string) => ['admin', 'server', id] as const,
  adminServerHealth: (id: string, range: HealthRange) => ['admin', 'server', id, 'health', range] as const,
  adminTemplates: ['admin', 'templates'] as const,
  adminTemplate: (id: string) => ['admin', 'template', id] as const,
  /** Under the user's key: a grant or a deduction refreshes the user's page as a whole. */
  adminUserBalance: (id: string) => ['admin', 'user', id, 'balance'] as const,
  adminUserTransactions: (id: string, query: ListTransactionsQuery) =>
    ['admin', 'user', id, 'transactions', query] as const,
  /** Every admin billing query: reports, runs, the platform's transactions, packages. */
  adminBilling: ['admin', 'billing'] as const,
  adminBillingReport: (query: BillingReportQuery) => ['admin', 'billing', 'report', query] as const,
  adminBillingRuns: (page: number, pageSize: number) => ['admin', 'billing', 'runs', { page, pageSize }] as const,
  adminTransactions: (query: AdminListTransactionsQuery) => ['admin', 'billing', 'transactions', query] as const,
  adminCreditPackages: ['admin', 'billing', 'packages'] as const,
  adminOverview: ['admin', 'overview'] as const,
  /** The platform's billing configuration: the same for everyone, it rarely changes. */
  billingSettings: ['billing', 'settings'] as const,
  /** What Proxmox holds, not our data: fetched when the form needs it. */
  adminServerProxmoxTemplates: (serverId: string) => ['admin', 'server', serverId, 'proxmox-templates'] as const,
  /** Every VM query: lists, pages, timelines and charts, the user's and the admin's. */
  vms: ['vms'] as const,
  vmList: (query: ListVmsQuery) => ['vms', 'list', query] as const,
  /** Under ['vms'], so what invalidates the VMs (an operation ending) refreshes the counts too. */
  vmSummary: ['vms', 'summary'] as const,
  vm: (id: string) => ['vms', 'detail', id] as const,
  vmOperations: (id: string, page: number) => ['vms', 'detail', id, 'operations', page] as const,
  /** With the power state the page knows: a start or a stop fetches the charts again at once. */
  vmMetrics: (id: string, range: string, powerState?: string) =>
    ['vms', 'detail', id, 'metrics', range, powerState] as const,
  adminVms: (query: AdminListVmsQuery) => ['vms', 'admin', query] as const,
  /** What users may create VMs from; under ['templates'] so a template change refreshes it. */
  catalog: ['templates', 'catalog'] as const,
  catalogTemplate: (id: string) => ['templates', 'catalog', id] as const,
  /** The caller's money: after anything that may cost or bring credits, ['credits'] refreshes it all. */
  credits: ['credits'] as const,
  myBalance: ['credits', 'balance'] as const,
  myTransactions: (query: ListTransactionsQuery) => ['credits', 'transactions', query] as const,
  mySpend: (days: number) => ['credits', 'spend', days] as const,
  creditPackages: ['credits', 'packages'] as const,
  /** Under the VM, so its actions (start, stop, resize) refresh what it costs. */
  vmBilling: (id: string) => ['vms', 'detail', id, 'billing'] as const,
  notifications: ['notifications'] as const,
  unreadNotifications: ['notifications', 'unread'] as const,
  notificationList: (page: number, pageSize: number) => ['notifications', 'list', { page, pageSize }] as const,
};
