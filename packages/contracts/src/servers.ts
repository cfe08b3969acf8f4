import { z } from 'zod';
import { idSchema, isoDateTime } from './common.js';

export const serverHealthStates = ['healthy', 'degraded', 'offline', 'unknown'] as const;
export const serverHealthSchema = z.enum(serverHealthStates);
export type ServerHealth = z.infer<typeof serverHealthSchema>;

/** The privileges the product needs on `/` to create and run VMs for its users. */
export const requiredPrivileges = [
  'Sys.Audit',
  'VM.Audit',
  'VM.Allocate',
  'VM.Clone',
  'VM.Config.CPU',
  'VM.Config.Memory',
  'VM.Config.Disk',
  'VM.Config.Network',
  'VM.Config.Options',
  'VM.Config.Cloudinit',
  'VM.PowerMgmt',
  'VM.Console',
  'Datastore.AllocateSpace',
  'Datastore.Audit',
] as const;

const fingerprintSchema = z
  .string()
  .trim()
  .transform((v) => v.replace(/[^0-9a-f]/gi, '').toUpperCase())
  .refine((hex) => hex.length === 64, 'A SHA-256 fingerprint has 64 hexadecimal digits')
  .transform((hex) => hex.match(/.{2}/g)!.join(':'));

const pemSchema = z
  .string()
  .trim()
  .max(20_000)
  .refine((v) => /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/.test(v), 'Paste a PEM certificate');

export const serverUrlSchema = z
  .string()
  .trim()
  .max(500)
  .pipe(
    z.url({
      protocol: /^https$/,
      message: 'Enter the https:// address of the Proxmox API, e.g. https://pve1.example.edu:8006',
    }),
  )
  .transform((u) => {
    const url = new URL(u);
    return `${url.protocol}//${url.host}`;
  });

/** USER@REALM!TOKENID, as Proxmox shows it when the token is created. */
export const tokenIdSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._@-]+@[A-Za-z0-9._-]+![A-Za-z][A-Za-z0-9._-]*$/, 'A token id looks like user@realm!tokenname');

export const tokenSecretSchema = z.string().trim().min(8, 'Paste the token secret').max(200);

/** How the server's certificate is trusted: a pinned fingerprint, the cluster CA, or both. */
export const tlsTrustSchema = z
  .object({ fingerprint: fingerprintSchema.optional(), caPem: pemSchema.optional() })
  .refine((t) => t.fingerprint || t.caPem, { message: 'Confirm the certificate fingerprint or paste the cluster CA' });

export const serverNameSchema = z.string().trim().min(1, 'Give the server a name').max(80);

/**
 * Why a server is not healthy, as data the web can say in the reader's
 * language. `healthReason` says the same in English, for logs and scripts.
 */
export const healthIssueSchema = z.discriminatedUnion('code', [
  z.object({ code: z.literal('UNREACHABLE'), kind: z.string(), message: z.string() }),
  z.object({ code: z.literal('NODES_UNLISTED'), kind: z.string(), message: z.string() }),
  z.object({ code: z.literal('ALL_NODES_DOWN') }),
  z.object({ code: z.literal('NODE_OFFLINE'), node: z.string() }),
  z.object({
    code: z.literal('NODE_SATURATED'),
    node: z.string(),
    metric: z.enum(['cpu', 'memory', 'disk']),
    percent: z.number(),
  }),
]);
export type HealthIssue = z.infer<typeof healthIssueSchema>;

export const serverNodeSchema = z.object({
  node: z.string(),
  status: z.enum(['online', 'offline', 'unknown']),
  health: serverHealthSchema,
  cpu: z.number().nullable(),
  maxcpu: z.number().nullable(),
  memUsed: z.number().nullable(),
  memTotal: z.number().nullable(),
  uptime: z.number().nullable(),
  lastSeenAt: isoDateTime.nullable(),
});

export const serverSchema = z
  .object({
    id: idSchema,
    name: z.string(),
    url: z.string(),
    tokenId: z.string(),
    /** The secret itself never leaves the server. */
    tokenSecretSet: z.literal(true),
    tls: z.object({ fingerprint: z.string().nullable(), caPem: z.string().nullable() }),
    enabled: z.boolean(),
    maintenance: z.boolean(),
    health: serverHealthSchema,
    healthReason: z.string().nullable(),
    healthIssues: z.array(healthIssueSchema),
    pveVersion: z.string().nullable(),
    lastCheckedAt: isoDateTime.nullable(),
    nodes: z.array(serverNodeSchema),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Server' });
export type Server = z.infer<typeof serverSchema>;
export const serverListSchema = z.object({ items: z.array(serverSchema) });

export const probeServerBodySchema = z.object({ url: serverUrlSchema });
export const presentedCertificateSchema = z.object({
  fingerprint256: z.string(),
  subject: z.string(),
  issuer: z.string(),
  validFrom: isoDateTime,
  validTo: isoDateTime,
  selfSigned: z.boolean(),
  subjectAltName: z.string().nullable(),
});
export const probeServerResponseSchema = z.object({ url: z.string(), certificate: presentedCertificateSchema });

export const connectionTestSchema = z
  .object({
    ok: z.boolean(),
    latencyMs: z.number().nullable(),
    version: z.string().nullable(),
    nodes: z.array(z.object({ node: z.string(), status: z.string() })),
    permissions: z.object({
      checked: z.boolean(),
      missing: z.array(z.string()),
    }),
    error: z
      .object({ kind: z.string(), message: z.string() })
      .nullable()
      .describe('Why the connection failed: TLS, AUTHENTICATION, UNAVAILABLE, TIMEOUT…'),
  })
  .meta({ id: 'ConnectionTest' });
export type ConnectionTest = z.infer<typeof connectionTestSchema>;

export const testConnectionBodySchema = z.object({
  url: serverUrlSchema,
  tokenId: tokenIdSchema,
  tokenSecret: tokenSecretSchema,
  tls: tlsTrustSchema,
});

/**
 * Testing a saved server, optionally with changes not saved yet: what is left
 * out (the secret, typically) comes from the stored settings.
 */
export const testSavedServerBodySchema = z
  .object({ url: serverUrlSchema, tokenId: tokenIdSchema, tokenSecret: tokenSecretSchema, tls: tlsTrustSchema })
  .partial();
export type TestSavedServerBody = z.input<typeof testSavedServerBodySchema>;

export const createServerBodySchema = testConnectionBodySchema.extend({ name: serverNameSchema });
export type CreateServerBody = z.input<typeof createServerBodySchema>;

export const updateServerBodySchema = z
  .object({
    name: serverNameSchema,
    url: serverUrlSchema,
    tokenId: tokenIdSchema,
    tokenSecret: tokenSecretSchema,
    tls: tlsTrustSchema,
    enabled: z.boolean(),
    maintenance: z.boolean(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Nothing to change');
export type UpdateServerBody = z.input<typeof updateServerBodySchema>;

export const healthRanges = ['1h', '6h', '24h', '7d', '30d'] as const;
export const healthRangeSchema = z.enum(healthRanges);
export type HealthRange = z.infer<typeof healthRangeSchema>;
export const healthQuerySchema = z.object({ range: healthRangeSchema.default('24h') });

/** One point of a series: averages over the sample (raw) or the hour (longer ranges). */
export const healthPointSchema = z.object({
  t: isoDateTime,
  /** Fraction of the checks in this point that reached the server or node (1 for a raw sample that did). */
  up: z.number().min(0).max(1),
  latencyMs: z.number().nullable(),
  /** CPU use, 0..1. */
  cpu: z.number().nullable(),
  memUsed: z.number().nullable(),
  memTotal: z.number().nullable(),
  diskUsed: z.number().nullable(),
  diskTotal: z.number().nullable(),
  load1: z.number().nullable(),
  vmsRunning: z.number().nullable(),
});
export type HealthPoint = z.infer<typeof healthPointSchema>;

export const healthHistorySchema = z
  .object({
    range: healthRangeSchema,
    resolution: z.enum(['raw', 'hourly']),
    /** The server as a whole (reachability, latency, totals). */
    server: z.array(healthPointSchema),
    nodes: z.array(z.object({ node: z.string(), points: z.array(healthPointSchema) })),
  })
  .meta({ id: 'HealthHistory' });
export type HealthHistory = z.infer<typeof healthHistorySchema>;
