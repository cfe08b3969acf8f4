import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

export interface PasswordHasherOptions {
  memoryKib: number;
  iterations: number;
}

/** argon2id with the given cost; `needsRehash` tells when a stored hash used older parameters. */
export function createPasswordHasher(opts: PasswordHasherOptions) {
  // Algorithm.Argon2id; the enum is a const enum, which isolated modules cannot inline.
  const params = { algorithm: 2 as Algorithm, memoryCost: opts.memoryKib, timeCost: opts.iterations, parallelism: 1 };
  // Verifying against this when the account does not exist keeps the response
  // time of "no such user" equal to that of "wrong password".
  let dummy: Promise<string> | undefined;
  return {
    hash: (password: string) => hash(password, params),
    async verify(stored: string | null, password: string): Promise<boolean> {
      if (!stored) {
        dummy ??= hash('uni-manager-timing-equaliser', params);
        await verify(await dummy, password).catch(() => false);
        return false;
      }
      return verify(stored, password).catch(() => false);
    },
    needsRehash(stored: string): boolean {
      const m = /^\$argon2id\$v=\d+\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
      return !m || Number(m[1]) !== opts.memoryKib || Number(m[2]) !== opts.iterations;
    },
  };
}
export type PasswordHasher = ReturnType<typeof createPasswordHasher>;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  // ~49k most frequent leaked passwords; loaded on first use only.
  common ??= new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
  return common;
}

/**
 * Reasons a password is refused beyond its length, or null. We follow NIST
 * SP 800-63B: no composition rules, but no known-breached or trivially
 * guessable passwords, and nothing built from the user's own identity.
 */
export function passwordWeakness(
  password: string,
  context: { email?: string; displayName?: string } = {},
): string | null {
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return 'This password is too common; choose another';
  if (new Set(lower).size <= 2) return 'This password repeats too few characters';
  // Length rules push people to pad a known word ("Password1234!"): judge the core.
  const stripped = lower.replace(/[^a-z0-9]/g, '');
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (
    commonPasswords().has(stripped) ||
    (core.length >= 4 && commonPasswords().has(core)) ||
    /^(.{1,6})\1+$/.test(lower)
  )
    return 'This password is too easy to guess; choose another';
  if (isSequence(lower)) return 'This password is a simple sequence';
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'The password must not contain your email address';
  return null;
}

function isSequence(s: string): boolean {
  if (s.length < 3) return false;
  const step = s.charCodeAt(1) - s.charCodeAt(0);
  if (Math.abs(step) !== 1) return false;
  for (let i = 2; i < s.length; i++) if (s.charCodeAt(i) - s.charCodeAt(i - 1) !== step) return false;
  return true;
}
