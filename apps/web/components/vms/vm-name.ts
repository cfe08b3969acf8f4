import { sshPublicKeySchema, vmNameSchema } from '@uni-manager/contracts';
import type { Translate } from '@/lib/i18n/translate';

/**
 * The name checked with the API's own schema, in the user's language. The
 * schema lower-cases before it checks, so "Web-1" is fine and becomes "web-1".
 */
export function vmNameError(name: string, t: Translate): string | undefined {
  const result = vmNameSchema.safeParse(name);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  if (issue?.code === 'too_small') return t('validation.required');
  if (issue?.code === 'too_big') return t('validation.maxChars', { max: 63 });
  return t('vms.create.nameRule');
}

/** As many as createVmBodySchema accepts. */
export const MAX_SSH_KEYS = 20;

/** The lines of the keys box that are keys at all: blank lines and surrounding spaces are not mistakes. */
export function sshKeyLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** The first key that is not an OpenSSH public key, by its line number, or undefined when all are. */
export function sshKeysError(text: string, t: Translate): string | undefined {
  if (sshKeyLines(text).length > MAX_SSH_KEYS) return t('vms.create.sshKeysTooMany', { max: MAX_SSH_KEYS });
  // Numbered as the box shows them, blank lines included.
  const bad = text
    .split(/\r?\n/)
    .findIndex((line) => line.trim() !== '' && !sshPublicKeySchema.safeParse(line).success);
  if (bad === -1) return undefined;
  return t('vms.create.sshKeyInvalid', { line: bad + 1 });
}
