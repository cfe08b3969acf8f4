import { IntlErrorCode, type IntlError } from 'next-intl';

/**
 * next-intl's error handler, on the server and in the browser. Two reports
 * do not apply here and are dropped:
 * - INVALID_KEY: the sections keyed by contract enums (`auditActions['auth.login']`)
 *   have dots in their keys, which next-intl cannot reach by path; they are
 *   read as `dict.auditActions[action]`, never through `t`;
 * - ENVIRONMENT_FALLBACK: no time zone is configured because no message
 *   formats a date (messages.test.ts checks it); dates go through
 *   `format.ts`, in the reader's own time zone.
 * Anything else (a missing key or argument) is logged.
 */
export function onIntlError(error: IntlError): void {
  if (error.code === IntlErrorCode.INVALID_KEY || error.code === IntlErrorCode.ENVIRONMENT_FALLBACK) return;
  console.error(error);
}
