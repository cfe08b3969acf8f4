/**
 * Who may call the API and with which privileges. Privileges are granted on `/` with propagation,
 * which is how a small cluster usually sets up a panel's token: Administrator for the panel, the
 * built-in PVEAuditor role for a read-only observer ([AC] AccessControl.pm role definitions).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ALL_PRIVILEGES } from '../params/formats.js';

export const ROLES = {
  Administrator: ALL_PRIVILEGES,
  PVEAuditor: [
    'Datastore.Audit',
    'Mapping.Audit',
    'Pool.Audit',
    'SDN.Audit',
    'Sys.Audit',
    'VM.Audit',
    'VM.GuestAgent.Audit',
  ],
  PVEVMUser: ['VM.Audit', 'VM.Backup', 'VM.Config.CDROM', 'VM.Config.Cloudinit', 'VM.Console', 'VM.PowerMgmt'],
} as const satisfies Record<string, readonly string[]>;

export type RoleName = keyof typeof ROLES;

export interface UserDef {
  userid: string;
  password?: string;
  role: RoleName;
}

export interface TokenDef {
  /** `user@realm!tokenname` */
  tokenid: string;
  secret: string;
  role: RoleName;
}

export interface Identity {
  /** The user (`root@pam`), also for a token. */
  userid: string;
  /** What tasks and permission checks name: the token id for tokens, else the user id. */
  authid: string;
  isToken: boolean;
  privileges: ReadonlySet<string>;
}

export class IdentityStore {
  private readonly users = new Map<string, UserDef>();
  private readonly tokens = new Map<string, TokenDef>();

  constructor(users: readonly UserDef[], tokens: readonly TokenDef[]) {
    for (const u of users) this.users.set(u.userid, u);
    for (const t of tokens) this.tokens.set(t.tokenid, t);
  }

  user(userid: string): UserDef | undefined {
    return this.users.get(userid);
  }

  /** A logged-in user (ticket). */
  forUser(userid: string): Identity | undefined {
    const u = this.users.get(userid);
    if (!u) return undefined;
    return { userid, authid: userid, isToken: false, privileges: new Set(ROLES[u.role]) };
  }

  /** An API token whose secret matched. */
  forToken(tokenid: string, secret: string): Identity | undefined {
    const t = this.tokens.get(tokenid);
    if (!t || !timingSafeEqualText(t.secret, secret)) return undefined;
    const userid = tokenid.slice(0, tokenid.indexOf('!'));
    if (!this.users.has(userid)) return undefined;
    return { userid, authid: tokenid, isToken: true, privileges: new Set(ROLES[t.role]) };
  }

  /** A token's identity without its secret: for an auditor's view of permissions, never for authentication. */
  describeToken(tokenid: string): Identity | undefined {
    const t = this.tokens.get(tokenid);
    const userid = tokenid.slice(0, tokenid.indexOf('!'));
    if (!t || !this.users.has(userid)) return undefined;
    return { userid, authid: tokenid, isToken: true, privileges: new Set(ROLES[t.role]) };
  }

  checkPassword(userid: string, password: string): boolean {
    const u = this.users.get(userid);
    return !!u?.password && timingSafeEqualText(u.password, password);
  }
}

function timingSafeEqualText(a: string, b: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(a), digest(b));
}
