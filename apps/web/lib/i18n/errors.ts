import { IntlErrorCode, type IntlError } from 'next-intl';

/**
 * next-intl's error handler, on the server and in the browser. The sections
 * keyed by contract enums (`auditActions['auth.login']`) have dots in their
 * keys, which next-intl reports in development as it cannot reach them by
 * path; they are read as `dict.auditActions[action]`, never through `t`, so
 * that report is dropped. Anything else (a missing key or argument) is logged.
 */
export function onIntlError(error: IntlError): void {
  if (error.code === IntlErrorCode.INVALID_KEY) return;
  console.error(error);
}
