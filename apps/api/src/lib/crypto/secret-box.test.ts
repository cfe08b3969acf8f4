import { describe, expect, it } from 'vitest';
import { DecryptionError, createSecretBox, generateKey, parseKey } from './secret-box.js';

describe('secret box', () => {
  const k1 = generateKey();
  const k2 = generateKey();

  it('round-trips, and never produces the same ciphertext twice', () => {
    const box = createSecretBox(k1);
    const a = box.encrypt('token-secret-1234', 'server:1:token');
    const b = box.encrypt('token-secret-1234', 'server:1:token');
    expect(a).not.toBe(b);
    expect(a).not.toContain('token-secret');
    expect(box.decrypt(a, 'server:1:token')).toBe('token-secret-1234');
  });

  it('refuses a ciphertext moved to another record, or altered', () => {
    const box = createSecretBox(k1);
    const sealed = box.encrypt('s3cret', 'server:1:token');
    expect(() => box.decrypt(sealed, 'server:2:token')).toThrow(DecryptionError);
    const parts = sealed.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => box.decrypt(parts.join('.'), 'server:1:token')).toThrow(DecryptionError);
  });

  it('decrypts with a previous key after rotation and names a missing one', () => {
    const old = createSecretBox(k1).encrypt('s3cret', 'c');
    const rotated = createSecretBox(k2, [k1]);
    expect(rotated.keyIdOf(old)).not.toBe(rotated.currentKeyId);
    expect(rotated.decrypt(old, 'c')).toBe('s3cret');
    expect(rotated.keyIdOf(rotated.encrypt('s3cret', 'c'))).toBe(rotated.currentKeyId);
    expect(() => createSecretBox(k2).decrypt(old, 'c')).toThrow(/not configured/);
  });

  it('accepts hex or base64 keys of 32 bytes only', () => {
    expect(parseKey('ab'.repeat(32))).toHaveLength(32);
    expect(parseKey(Buffer.alloc(32, 7).toString('base64'))).toHaveLength(32);
    expect(() => parseKey('short')).toThrow(/32 bytes/);
  });
});
