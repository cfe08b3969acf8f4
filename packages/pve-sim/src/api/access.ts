/** /access/ticket: the login of the web UI and of clients that use tickets rather than tokens. */
import type { Identity } from '../auth/identities.js';
import { hasPrivs, requirePrivs } from '../auth/permissions.js';
import { PveError } from '../http/errors.js';
import { optBool, optStr, str } from '../params/builders.js';
import type { Route, SimContext } from './context.js';

/** The `cap` object of a login: the privileges per section, as compute_api_permission returns them. */
function capabilities(privileges: ReadonlySet<string>): Record<string, Record<string, number>> {
  const sections: Record<string, string[]> = {
    vms: ['VM.'],
    storage: ['Datastore.'],
    nodes: ['Sys.'],
    access: ['User.', 'Group.', 'Permissions.', 'Realm.'],
    dc: ['Sys.Audit', 'Sys.Modify', 'SDN.'],
    sdn: ['SDN.'],
    mapping: ['Mapping.'],
  };
  const cap: Record<string, Record<string, number>> = {};
  for (const [section, prefixes] of Object.entries(sections)) {
    cap[section] = {};
    for (const p of privileges) {
      if (prefixes.some((prefix) => p.startsWith(prefix) || p === prefix))
        (cap[section] as Record<string, number>)[p] = 1;
    }
  }
  return cap;
}

function login(ctx: SimContext, params: Record<string, unknown>) {
  let username = params.username as string;
  const realm = params.realm as string | undefined;
  if (realm && !username.includes('@')) username = `${username}@${realm}`;
  const path = params.path as string | undefined;
  const privs = params.privs as string | undefined;
  const identity = ctx.identities.checkPassword(username, params.password as string)
    ? ctx.identities.forUser(username)
    : undefined;
  // "do not return any info to prevent user enumeration attacks" ([AC] API2/AccessControl.pm:310)
  if (!identity) throw new PveError(401, 'authentication failure\n');
  if (path && privs) {
    if (!hasPrivs(identity, privs.split(/[,;\s]+/))) throw new PveError(401, 'authentication failure\n');
    return { username };
  }
  const res: Record<string, unknown> = {
    username,
    ticket: ctx.tickets.assembleTicket(username),
    CSRFPreventionToken: ctx.tickets.assembleCsrf(username),
    cap: capabilities(identity.privileges),
  };
  if (hasPrivs(identity, ['Sys.Audit'])) res.clustername = ctx.model.clusterName;
  return res;
}

/**
 * GET /access/permissions: the effective privileges of the caller (or, with
 * Sys.Audit on /access, of another user or token). Privileges here are granted
 * on "/" with propagation, so every path reports the same set.
 */
function permissions(ctx: SimContext, identity: Identity, params: Record<string, unknown>) {
  const userid = params.userid as string | undefined;
  let subject = identity;
  if (userid && userid !== identity.authid) {
    const ownToken = userid.startsWith(`${identity.userid}!`);
    if (!ownToken) requirePrivs(identity, '/access', ['Sys.Audit']);
    const other = userid.includes('!') ? ctx.identities.describeToken(userid) : ctx.identities.forUser(userid);
    if (!other) throw new PveError(500, `no such user ('${userid}')\n`);
    subject = other;
  }
  const privs = Object.fromEntries([...subject.privileges].sort().map((p) => [p, 1]));
  return { [(params.path as string | undefined) ?? '/']: privs };
}

export const accessRoutes: Route[] = [
  {
    method: 'GET',
    path: '/access/permissions',
    name: 'permissions',
    params: {
      additionalProperties: false,
      properties: {
        path: optStr(),
        // user@realm or user@realm!token, in the Perl form pve-access-control declares.
        userid: optStr({
          pattern: '(?^:^(?^:[^\\s:/]+)\\@(?^:[A-Za-z][A-Za-z0-9\\.\\-_]+)(?:!(?^:[A-Za-z][A-Za-z0-9\\.\\-_]+))?$)',
        }),
      },
    },
    permissions: { user: 'all' },
    handler: (req, ctx) => permissions(ctx, req.identity!, req.params),
  },
  {
    method: 'GET',
    path: '/access/ticket',
    name: 'get_ticket',
    params: { properties: {}, additionalProperties: false },
    permissions: { user: 'world' },
    handler: () => null,
  },
  {
    method: 'POST',
    path: '/access/ticket',
    name: 'create_ticket',
    allowToken: false,
    params: {
      additionalProperties: false,
      properties: {
        username: str({ maxLength: 64 }),
        password: str(),
        realm: optStr({ format: 'pve-realm', maxLength: 32 }),
        otp: optStr(),
        path: optStr({ maxLength: 64 }),
        privs: optStr({ format: 'pve-priv-list', maxLength: 64 }),
        'new-format': optBool({ default: 1 }),
        'tfa-challenge': optStr(),
      },
    },
    permissions: { user: 'world' },
    handler: (req, ctx) => login(ctx, req.params),
  },
];
