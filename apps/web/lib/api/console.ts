import { consoleTicketSchema, paths, type ConsoleTicket } from '@uni-manager/contracts';
import { apiRequest } from './http';

/** A one-time ticket for the VM's console websocket; it must be used within seconds. */
export function openConsoleTicket(vmId: string): Promise<ConsoleTicket> {
  return apiRequest(paths.vmConsole, { method: 'POST', params: { id: vmId }, schema: consoleTicketSchema });
}

/**
 * The websocket URL of a ticket. The web serves the API under /api on its own
 * origin, so the socket goes to this page's host, wss:// when the page is https.
 */
export function consoleSocketUrl(ticket: ConsoleTicket, location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${ticket.websocketPath}?ticket=${encodeURIComponent(ticket.ticket)}`;
}
