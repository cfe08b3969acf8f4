import { describe, expect, it } from 'vitest';
import { AuthError } from '../http/errors.js';
import { authenticate, extractAuthValue } from './authenticate.js';
import { IdentityStore } from './identities.js';
import { checkPermission } from './permissions.js';
import { TicketSigner } from './tickets.js';

let now = Date.UTC(2025, 5, 1);
const tickets = new TicketSigner('k'.repeat(64), () => now);
const identities = new IdentityStore(
  [
    { userid: 'root@pam', password: 'pw', role: 'Administrator' },
    { userid: 'audit@pve', role: 'PVEAuditor' },
  ],
  [
    { tokenid: 'root@pam!uni-manager', secret: 'abc=def', role: 'Administrator' },
    { tokenid: 'audit@pve!readonly', secret: 'ro', role: 'PVEAuditor' },
  ],
);
const deps = { identities, tickets };

describe('authentication', () => {
  it('extracts auth values with = or space, URI-unescaped', () => {
    expect(extractAuthValue('PVEAPIToken=root@pam!t=s', 'PVEAPIToken')).toBe('root@pam!t=s');
    expect(extractAuthValue('PVEAPIToken root%40pam!t=s', 'PVEAPIToken')).toBe('root@pam!t=s');
    expect(extractAuthValue('a=b; PVEAuthCookie=PVE%3Aroot%40pam; c=d', 'PVEAuthCookie')).toBe('PVE:root@pam');
  });

  it('splits the token at the last =, so a secret cannot contain one', () => {
    const r = authenticate({ authorization: 'PVEAPIToken=audit@pve!readonly=ro' }, 'POST', true, deps);
    expect(r.identity?.authid).toBe('audit@pve!readonly');
    expect(r.apiToken).toBe(true);
    expect(() =>
      authenticate({ authorization: 'PVEAPIToken=root@pam!uni-manager=abc=def' }, 'GET', true, deps),
    ).toThrow('Authentication failed!');
  });

  it('says No ticket, Authentication failed!, or invalid csrf token', () => {
    const fail = (headers: Record<string, string>, method = 'GET') => {
      try {
        authenticate(headers, method, true, deps);
      } catch (err) {
        expect(err).toBeInstanceOf(AuthError);
        return (err as Error).message;
      }
      return 'ok';
    };
    expect(fail({})).toBe('No ticket');
    expect(fail({ authorization: 'PVEAPIToken=root@pam!uni-manager=nope' })).toBe('Authentication failed!');
    expect(fail({ authorization: 'PVEAPIToken=not-a-token-id=x' })).toBe('Authentication failed!');
    const ticket = tickets.assembleTicket('root@pam');
    expect(fail({ cookie: `PVEAuthCookie=${encodeURIComponent(ticket)}` })).toBe('ok');
    expect(fail({ cookie: `PVEAuthCookie=${encodeURIComponent(ticket)}` }, 'POST')).toBe(
      'Permission denied - invalid csrf token',
    );
    expect(
      fail(
        {
          cookie: `PVEAuthCookie=${encodeURIComponent(ticket)}`,
          csrfpreventiontoken: tickets.assembleCsrf('root@pam'),
        },
        'POST',
      ),
    ).toBe('ok');
    now += 3 * 3600 * 1000;
    expect(fail({ cookie: `PVEAuthCookie=${encodeURIComponent(ticket)}` })).toBe('Authentication failed!');
  });

  it('bounds VNC tickets to user, path and port for about 40 seconds', () => {
    const t = tickets.assembleVncTicket('root@pam!uni-manager', '/vms/100', 5900);
    expect(t).toMatch(/^PVEVNC:[0-9A-F]{8}::\S+$/);
    expect(tickets.verifyVncTicket(`abcdefgh:${t}`, 'root@pam!uni-manager', '/vms/100', 5900)).toBe(true);
    expect(tickets.verifyVncTicket(t, 'root@pam!uni-manager', '/vms/101', 5900)).toBe(false);
    expect(tickets.verifyVncTicket(t, 'root@pam!uni-manager', '/vms/100', 5901)).toBe(false);
    now += 41_000;
    expect(tickets.verifyVncTicket(t, 'root@pam!uni-manager', '/vms/100', 5900)).toBe(false);
  });
});

describe('permissions', () => {
  const audit = identities.forToken('audit@pve!readonly', 'ro');
  const check = (perm: Parameters<typeof checkPermission>[0], params: Record<string, unknown> = {}) => {
    try {
      checkPermission(perm, audit, params);
      return 'ok';
    } catch (err) {
      return (err as Error).message;
    }
  };
  it('formats 403s like RPCEnvironment', () => {
    expect(check({ check: ['perm', '/vms/{vmid}', ['VM.PowerMgmt']] }, { vmid: 100 })).toBe(
      'Permission check failed (/vms/100, VM.PowerMgmt)\n',
    );
    expect(check({ check: ['perm', '/vms/{vmid}', ['VM.Audit']] }, { vmid: 100 })).toBe('ok');
    expect(check({ check: ['perm', '/', ['VM.Clone', 'VM.Allocate'], { any: true }] })).toBe(
      'Permission check failed (/, VM.Clone|VM.Allocate)\n',
    );
    expect(
      check({
        check: [
          'or',
          ['perm', '/', ['VM.Allocate']],
          ['perm', '/pool/{pool}', ['VM.Allocate'], { requireParam: 'pool' }],
        ],
      }),
    ).toBe('Permission check failed\n');
    expect(check({ user: 'all' })).toBe('ok');
  });
});
