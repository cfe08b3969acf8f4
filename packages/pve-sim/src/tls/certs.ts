/**
 * The cluster's certificates, laid out as Proxmox does: a CA "pve-root-ca" that signs the node
 * certificate "pve-ssl" (BEHAVIOUR.md, TLS). Both are kept in `<stateDir>/pki` and generated only
 * when absent, so the fingerprint a user pinned stays valid across restarts. If the configured
 * host names grow, the node certificate is reissued by the same CA.
 */
import { createHash, webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isIP } from 'node:net';
import type * as X509 from '@peculiar/x509';
import { writeFileAtomic } from '../persist/atomic-file.js';
import { installReflectMetadata } from './reflect-metadata.js';

let x509: typeof X509;

/** Loads @peculiar/x509 once, after the Reflect metadata it needs is in place. */
async function loadX509(): Promise<typeof X509> {
  if (!x509) {
    installReflectMetadata();
    x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(webcrypto as never);
  }
  return x509;
}

export interface TlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
  /** SHA-256 of the node certificate, colon-separated uppercase hex, as Proxmox displays it. */
  fingerprint: string;
  caPath: string;
  certPath: string;
}

const ALG: webcrypto.RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};

const YEAR_MS = 365 * 86_400_000;

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

async function exportKey(key: webcrypto.CryptoKey): Promise<string> {
  return pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key));
}

async function importKey(pemText: string): Promise<webcrypto.CryptoKey> {
  const der = Buffer.from(pemText.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign']);
}

export function fingerprintOf(certPem: string): string {
  const der = new NodeX509(certPem).raw;
  return createHash('sha256')
    .update(der)
    .digest('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');
}

function serial(): string {
  // Positive, 16 bytes.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] as number) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

async function createCa(): Promise<{ certPem: string; keyPem: string }> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=Proxmox Virtual Environment, OU=${webcrypto.randomUUID()}, O=PVE Cluster Manager CA`,
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 10 * YEAR_MS),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await exportKey(keys.privateKey) };
}

async function createNodeCert(
  ca: { certPem: string; keyPem: string },
  names: readonly string[],
): Promise<{ certPem: string; keyPem: string }> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await importKey(ca.keyPem);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${names.find((n) => !isIP(n) && n !== 'localhost') ?? 'localhost'}, OU=PVE Cluster Node, O=Proxmox Virtual Environment`,
    issuer: caCert.subject,
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 2 * YEAR_MS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        names.map((n) => (isIP(n) ? { type: 'ip' as const, value: n } : { type: 'dns' as const, value: n })),
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await exportKey(keys.privateKey) };
}

function sanNames(certPem: string): Set<string> {
  const ext = new x509.X509Certificate(certPem).getExtension(x509.SubjectAlternativeNameExtension);
  const out = new Set<string>();
  for (const item of ext?.names.items ?? []) out.add(item.value.toLowerCase());
  return out;
}

/** Loads the CA and node certificate from `<stateDir>/pki`, creating what is missing. */
export async function loadOrCreateTls(stateDir: string, hostnames: readonly string[]): Promise<TlsMaterial> {
  await loadX509();
  const dir = path.join(stateDir, 'pki');
  const caPath = path.join(dir, 'pve-root-ca.pem');
  const caKeyPath = path.join(dir, 'pve-root-ca.key');
  const certPath = path.join(dir, 'pve-ssl.pem');
  const keyPath = path.join(dir, 'pve-ssl.key');
  const names = [...new Set(['localhost', '127.0.0.1', '::1', ...hostnames.map((h) => h.toLowerCase())])];

  let ca: { certPem: string; keyPem: string };
  let fresh = false;
  if (existsSync(caPath) && existsSync(caKeyPath)) {
    ca = { certPem: readFileSync(caPath, 'utf8'), keyPem: readFileSync(caKeyPath, 'utf8') };
  } else {
    ca = await createCa();
    writeFileAtomic(caKeyPath, ca.keyPem, 0o600);
    writeFileAtomic(caPath, ca.certPem);
    fresh = true;
  }

  let node: { certPem: string; keyPem: string } | undefined;
  if (!fresh && existsSync(certPath) && existsSync(keyPath)) {
    node = { certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8') };
    const have = sanNames(node.certPem);
    if (!names.every((n) => have.has(n))) node = undefined;
  }
  if (!node) {
    node = await createNodeCert(ca, names);
    writeFileAtomic(keyPath, node.keyPem, 0o600);
    writeFileAtomic(certPath, node.certPem);
  }
  return {
    caPem: ca.certPem,
    certPem: node.certPem,
    keyPem: node.keyPem,
    fingerprint: fingerprintOf(node.certPem),
    caPath,
    certPath,
  };
}
