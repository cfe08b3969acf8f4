/**
 * Secrets generated on first start and kept in the state directory (mode 0600), so the tokens a
 * newcomer pasted into Uni-Manager keep working after a restart. Values given as options win.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../persist/atomic-file.js';

export interface Secrets {
  /** Signs tickets and CSRF tokens (stands in for /etc/pve/authkey.key). */
  authKey: string;
  adminTokenSecret: string;
  readonlyTokenSecret: string;
  rootPassword: string;
  /** Guards the /_sim control endpoint. */
  controlToken: string;
}

const FILE = 'secrets.json';

export function generatePassword(length = 16): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

function generate(): Secrets {
  return {
    authKey: randomBytes(32).toString('hex'),
    adminTokenSecret: randomUUID(),
    readonlyTokenSecret: randomUUID(),
    rootPassword: generatePassword(),
    controlToken: randomBytes(24).toString('base64url'),
  };
}

/** Loads secrets.json (creating it when absent), then applies overrides without saving them. */
export function loadSecrets(stateDir: string, overrides: Partial<Secrets> = {}): Secrets {
  const file = path.join(stateDir, FILE);
  let stored: Secrets | undefined;
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>;
    const fresh = generate();
    stored = { ...fresh, ...parsed };
    if (Object.keys(fresh).some((k) => !(k in parsed))) writeFileAtomic(file, JSON.stringify(stored, null, 2), 0o600);
  } else {
    stored = generate();
    writeFileAtomic(file, JSON.stringify(stored, null, 2), 0o600);
  }
  const out = { ...stored };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) (out as Record<string, string>)[k] = v;
  return out;
}
