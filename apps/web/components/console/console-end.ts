import { CONSOLE_CLOSE_BASE, errorCodes, type ErrorCode } from '@uni-manager/contracts';
import { describeError } from '@/lib/errors/describe';
import { isApiError } from '@/lib/api/errors';
import type { Dictionary } from '@/lib/i18n/dictionaries';
import type { Translate } from '@/lib/i18n/translate';

/** Why a console is not connected, as the page learnt it; turned into words by `consoleEndText`. */
export type ConsoleEnd =
  | { kind: 'user' }
  /** The ticket request failed (404, 409, network…). */
  | { kind: 'request'; error: unknown }
  /** The websocket closed; `code` and `reason` as the API sent them (see CONSOLE_CLOSE_BASE). */
  | { kind: 'closed'; code: number; reason: string }
  | { kind: 'security'; reason: string };

/** "CONSOLE_TICKET_INVALID: …" → the code, when it is one of ours. */
function errorCodeOf(reason: string): ErrorCode | null {
  const code = reason.split(':', 1)[0]?.trim() ?? '';
  return (errorCodes as readonly string[]).includes(code) ? (code as ErrorCode) : null;
}

function textForCode(code: ErrorCode, t: Translate, dict: Dictionary): string {
  switch (code) {
    case 'CONSOLE_TICKET_INVALID':
      return t('vmConsole.ended.ticket');
    case 'INVALID_STATE_TRANSITION':
      return t('vmConsole.ended.notRunning');
    case 'NOT_FOUND':
      return t('vmConsole.ended.notFound');
    case 'PROXMOX_UNAVAILABLE':
      return t('vmConsole.ended.proxmox');
    default:
      return dict.errorCodes[code];
  }
}

/** Leaving or a session that ended is news; a VM that cannot be reached is a problem to act on. */
export function consoleEndTone(end: ConsoleEnd): 'info' | 'warning' | 'destructive' {
  if (end.kind === 'user' || (end.kind === 'closed' && end.code === 1000)) return 'info';
  const code =
    end.kind === 'closed'
      ? errorCodeOf(end.reason)
      : end.kind === 'request' && isApiError(end.error)
        ? end.error.code
        : null;
  return code === 'INVALID_STATE_TRANSITION' || code === 'CONSOLE_TICKET_INVALID' ? 'warning' : 'destructive';
}

export function consoleEndText(end: ConsoleEnd, t: Translate, dict: Dictionary): string {
  switch (end.kind) {
    case 'user':
      return t('vmConsole.ended.user');
    case 'security':
      return t('vmConsole.ended.security', { reason: end.reason || '—' });
    case 'request':
      if (isApiError(end.error) && end.error.code !== 'NETWORK_ERROR' && end.error.code !== 'BAD_RESPONSE')
        return textForCode(end.error.code, t, dict);
      return describeError(end.error, t, dict).title;
    case 'closed': {
      if (end.code === 1000) return t('vmConsole.ended.ended');
      const code = end.code >= CONSOLE_CLOSE_BASE ? errorCodeOf(end.reason) : null;
      return code ? textForCode(code, t, dict) : t('vmConsole.ended.lost');
    }
  }
}
