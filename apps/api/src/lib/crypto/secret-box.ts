import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encrypts secrets at rest (Proxmox token secrets) with AES-256-GCM. Every
 * ciphertext names the key that made it, so keys can be rotated: the current
 * key encrypts, any key of the ring decrypts, and `uni-manager keys rotate`
 * re-encrypts what an old key made.
 *
 * Format: `v1.<keyId>.<iv>.<tag>.<ciphertext>`, base64url parts. The key id
 * is a short hash of the key, never the key.
 */
const VERSION = 'v1';

export interface SecretBox {
  readonly currentKeyId: string;
  encrypt(plaintext: string, context: string): string;
  decrypt(sealed: string, context: string): string;
  keyIdOf(sealed: string): string;
}

/** A 32-byte key from 64 hex digits or 43/44 base64 characters. */
export function parseKey(value: string): Buffer {
  const v = value.trim();
  if (/^[0-9a-f]{64}$/i.test(v)) return Buffer.from(v, 'hex');
  const b = Buffer.from(v, v.includes('-') || v.includes('_') ? 'base64url' : 'base64');
  if (b.length !== 32) throw new Error('an encryption key is 32 bytes: 64 hex digits or 44 base64 characters');
  return b;
}

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('uni-manager key id').update(key).digest('hex').slice(0, 12);
}

export function generateKey(): string {
  return randomBytes(32).toString('base64url');
}

export class DecryptionError extends Error {}

export function createSecretBox(current: string, previous: string[] = []): SecretBox {
  const ring = new Map<string, Buffer>();
  const currentKey = parseKey(current);
  const currentKeyId = keyIdOf(currentKey);
  for (const k of [current, ...previous]) {
    const key = parseKey(k);
    ring.set(keyIdOf(key), key);
  }
  return {
    currentKeyId,
    // The context (e.g. "server:<id>:token") is authenticated data: a secret
    // copied onto another row fails to decrypt there.
    encrypt(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
      cipher.setAAD(Buffer.from(context));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [
        VERSION,
        currentKeyId,
        iv.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
        ct.toString('base64url'),
      ].join('.');
    },
    decrypt(sealed, context) {
      const [version, kid, iv, tag, ct] = sealed.split('.');
      if (version !== VERSION || !kid || !iv || !tag || ct === undefined)
        throw new DecryptionError('not a sealed secret');
      const key = ring.get(kid);
      if (!key)
        throw new DecryptionError(
          `the secret was sealed with key ${kid}, which is not configured (ENCRYPTION_KEY or ENCRYPTION_KEYS_PREVIOUS)`,
        );
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new DecryptionError('the secret does not decrypt: altered, or sealed for another record');
      }
    },
    keyIdOf(sealed) {
      return sealed.split('.')[1] ?? '';
    },
  };
}
