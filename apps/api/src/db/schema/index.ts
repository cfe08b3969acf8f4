export * from './users.js';
export * from './sessions.js';
export * from './audit.js';
export * from './jobs.js';
export * from './servers.js';
export * from './health.js';
export * from './templates.js';
export * from './vms.js';
