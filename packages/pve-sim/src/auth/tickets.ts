/**
 * Tickets as pve-common's Ticket.pm shapes them:
 * - login ticket `PVE:<user>:<8HEX time>::<signature>` (valid 2 h, [COM] Ticket.pm:53-70),
 * - CSRF token `<8HEX time>:<base64 HMAC-SHA256("<time>:<user>")>` ([COM] Ticket.pm:19-27),
 * - VNC ticket `PVEVNC:<8HEX time>::<signature>` bound to user, path and port, valid about 40 s
 *   ([AC] AccessControl.pm:553-575); vncproxy prefixes it with the VNC password.
 * Proxmox signs with an RSA key; an HMAC with the stored auth key gives the same guarantees here.
 */
import { createHmac } from 'node:crypto';

const TICKET_LIFETIME_S = 2 * 3600;
const AUTH_GRACE_S = 5 * 60;

const hexTime = (seconds: number) => seconds.toString(16).toUpperCase().padStart(8, '0');

export class TicketSigner {
  constructor(
    private readonly authKey: string,
    private readonly nowMs: () => number,
  ) {}

  private sign(text: string): string {
    return createHmac('sha256', this.authKey).update(text).digest('base64');
  }

  private nowS(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  private ageOk(hex: string, min: number, max: number): boolean {
    const age = this.nowS() - parseInt(hex, 16);
    return age > min && age < max;
  }

  assembleTicket(userid: string): string {
    // uri_escape($data, ':'): only the colon is escaped.
    const plain = `PVE:${userid.replace(/:/g, '%3A')}:${hexTime(this.nowS())}`;
    return `${plain}::${this.sign(plain)}`;
  }

  /** Returns the user id, or undefined when the ticket is forged or expired. */
  verifyTicket(ticket: string): string | undefined {
    const m = /^(PVE:(\S+):([A-Z0-9]{8}))::([^:\s]+)$/.exec(ticket);
    if (!m) return undefined;
    const [, plain, user, time, sig] = m as unknown as [string, string, string, string, string];
    if (sig !== this.sign(plain)) return undefined;
    if (!this.ageOk(time, -AUTH_GRACE_S, TICKET_LIFETIME_S)) return undefined;
    return user.replace(/%3A/gi, ':');
  }

  assembleCsrf(userid: string): string {
    const time = hexTime(this.nowS());
    return `${time}:${this.csrfDigest(time, userid)}`;
  }

  verifyCsrf(userid: string, token: string | undefined): boolean {
    const m = /^([A-Z0-9]{8}):(\S+)$/.exec(token ?? '');
    if (!m) return false;
    return (
      m[2] === this.csrfDigest(m[1] as string, userid) && this.ageOk(m[1] as string, -AUTH_GRACE_S, TICKET_LIFETIME_S)
    );
  }

  private csrfDigest(time: string, userid: string): string {
    // Digest::SHA's *_base64 functions leave the padding off.
    return createHmac('sha256', this.authKey).update(`${time}:${userid}`).digest('base64').replace(/=+$/, '');
  }

  assembleVncTicket(authid: string, path: string, port: number): string {
    const plain = `PVEVNC:${hexTime(this.nowS())}`;
    return `${plain}::${this.sign(`${plain}:${authid}:${path}:${port}`)}`;
  }

  /** Accepts the ticket with or without the 8-character password prefix, as verify_vnc_ticket does. */
  verifyVncTicket(ticket: string, authid: string, path: string, port: number): boolean {
    const unprefixed = /^.{8}:(PVEVNC:.*)$/.exec(ticket)?.[1] ?? ticket;
    const m = /^(PVEVNC:([A-Z0-9]{8}))::([^:\s]+)$/.exec(unprefixed);
    if (!m) return false;
    return m[3] === this.sign(`${m[1]}:${authid}:${path}:${port}`) && this.ageOk(m[2] as string, -20, 40);
  }
}
