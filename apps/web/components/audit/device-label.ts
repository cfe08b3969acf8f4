import type { Translate } from '@/lib/i18n/translate';
import { describeUserAgent } from '@/lib/user-agent';

/** "Firefox on Linux", or whatever part of it the User-Agent gives away. */
export function deviceLabel(userAgent: string | null | undefined, t: Translate): string {
  const { browser, os } = describeUserAgent(userAgent);
  if (browser && os) return t('account.sessions.deviceOn', { browser, os });
  return browser ?? os ?? t('account.sessions.unknownDevice');
}
