import type { Translate } from '@/lib/i18n/translate';

/**
 * The API explains a refused source in English sentences of a fixed shape
 * (templates.sources.ts); they are recognised here to say the same in the
 * admin's language. Anything else is shown as the server wrote it.
 */
const patterns: Array<[RegExp, (m: RegExpExecArray, t: Translate) => string]> = [
  [
    /^VM (\d+) on (\S+) is not a template$/,
    (m, t) => t('templates.sourceErrors.notTemplate', { vmid: m[1]!, node: m[2]! }),
  ],
  [/^No VM (\d+) on node (\S+)$/, (m, t) => t('templates.sourceErrors.noVm', { vmid: m[1]!, node: m[2]! })],
  [/^No node (\S+) on server (.+)$/, (m, t) => t('templates.sourceErrors.noNode', { node: m[1]!, server: m[2]! })],
  [/^No server with this id$/, (_m, t) => t('templates.sourceErrors.noServer')],
  [
    /^Server (.+?) cannot be reached: (.*)$/s,
    (m, t) => t('templates.sourceErrors.unreachable', { server: m[1]!, reason: m[2]! }),
  ],
  [
    /^The token of server (.+?) is not allowed to read this: (.*)$/s,
    (m, t) => t('templates.sourceErrors.forbidden', { server: m[1]!, reason: m[2]! }),
  ],
  [
    /^No storage (\S+) on node (\S+)$/,
    (m, t) => t('templates.sourceErrors.noStorage', { storage: m[1]!, node: m[2]! }),
  ],
  [
    /^Storage (\S+) on (\S+) cannot hold VM disks$/,
    (m, t) => t('templates.sourceErrors.storageNoImages', { storage: m[1]!, node: m[2]! }),
  ],
  [
    /^The disk of VM (\d+) on (\S+) is (\d+) GiB/,
    (m, t) => t('templates.sourceErrors.diskTooSmall', { vmid: m[1]!, node: m[2]!, size: m[3]! }),
  ],
];

export function sourceErrorText(message: string, t: Translate): string {
  for (const [re, text] of patterns) {
    const m = re.exec(message);
    if (m) return text(m, t);
  }
  return message;
}
