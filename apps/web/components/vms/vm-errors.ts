import { ApiError } from '@/lib/api/errors';
import type { Dictionary } from '@/lib/i18n/dictionaries';
import { describeError, type ErrorDescription } from '@/lib/errors/describe';
import type { Translate } from '@/lib/i18n/translate';

/**
 * Some codes are shared with accounts (INVALID_STATE_TRANSITION) or say more
 * about a VM than the generic text does (NOT_FOUND); those get the VM's words.
 */
const vmWords = ['INVALID_STATE_TRANSITION', 'NOT_FOUND', 'NAME_TAKEN', 'ACCOUNT_SUSPENDED'] as const;
type VmWordCode = (typeof vmWords)[number];

const isVmWord = (code: string): code is VmWordCode => (vmWords as readonly string[]).includes(code);

export function describeVmError(err: unknown, t: Translate, dict: Dictionary): ErrorDescription {
  if (err instanceof ApiError && isVmWord(err.code)) return { title: t(`vms.errors.${err.code}`) };
  return describeError(err, t, dict);
}

/**
 * An error recorded on an operation or a bulk result (a code and the server's
 * English message): the code's words when we have them, else the message.
 */
export function vmErrorText(error: { code: string; message: string }, t: Translate, dict: Dictionary): string {
  if (isVmWord(error.code)) return t(`vms.errors.${error.code}`);
  // The message names the amount needed and the amount there is: more than the code's words say.
  if (error.code === 'INSUFFICIENT_CREDITS') return error.message;
  return (dict.errorCodes as Partial<Record<string, string>>)[error.code] ?? error.message;
}
