/**
 * Paths of the API, relative to /api/v1. The API registers its routes at these
 * paths and the web calls them, so a rename is a compile error on both sides.
 */
export const API_PREFIX = '/api/v1';
export const REFRESH_COOKIE = 'um_refresh';
/** The refresh cookie is only ever sent to the auth endpoints that need it. */
export const REFRESH_COOKIE_PATH = `${API_PREFIX}/auth`;

export const paths = {
  health: '/health',
  ready: '/health/ready',
  register: '/auth/register',
  login: '/auth/login',
  refresh: '/auth/refresh',
  logout: '/auth/logout',
  me: '/me',
  myPassword: '/me/password',
  mySessions: '/me/sessions',
  mySession: '/me/sessions/:id',
  myEvents: '/me/events',
  adminUsers: '/admin/users',
  adminUser: '/admin/users/:id',
  adminUserRole: '/admin/users/:id/role',
  adminUserSuspend: '/admin/users/:id/suspend',
  adminUserUnsuspend: '/admin/users/:id/unsuspend',
  adminUserBan: '/admin/users/:id/ban',
  adminUserUnban: '/admin/users/:id/unban',
  adminAudit: '/admin/audit',
  adminServers: '/admin/servers',
  adminServerProbe: '/admin/servers/probe',
  adminServerTest: '/admin/servers/test',
  adminServer: '/admin/servers/:id',
  adminServerTestSaved: '/admin/servers/:id/test',
  adminServerHealth: '/admin/servers/:id/health',
  /** The Proxmox template VMs of a server, for the template form's picker. */
  adminServerTemplates: '/admin/servers/:id/templates',
  templates: '/templates',
  template: '/templates/:id',
  adminTemplates: '/admin/templates',
  adminTemplate: '/admin/templates/:id',
  vms: '/vms',
  vm: '/vms/:id',
  vmStart: '/vms/:id/start',
  vmShutdown: '/vms/:id/shutdown',
  vmStop: '/vms/:id/stop',
  vmReboot: '/vms/:id/reboot',
  vmSuspend: '/vms/:id/suspend',
  vmResume: '/vms/:id/resume',
  vmResize: '/vms/:id/resize',
  vmRename: '/vms/:id/rename',
  vmOperations: '/vms/:id/operations',
  vmMetrics: '/vms/:id/metrics',
  vmConsole: '/vms/:id/console',
  /** The websocket the console ticket opens; authenticated by ?ticket=, not a bearer token. */
  vmConsoleSocket: '/vms/:id/console/ws',
  vmsBulk: '/vms/bulk',
  adminVms: '/admin/vms',
  adminPlacement: '/admin/placement',
} as const;
