import { z } from 'zod';
import { serverHealthSchema } from './servers.js';
import {
  operationKindSchema,
  operationStatusSchema,
  operationStepSchema,
  powerStateSchema,
  vmStatusSchema,
} from './vms.js';

/**
 * What the live stream (`GET /me/stream`, server-sent events) carries. Each
 * event says what changed, with enough state to show it at once; a client
 * that wants more reads it through the API, with its own rights. Events are
 * hints, not a log: after `hello` (each connection or reconnection) or
 * `resync` (the server had to drop events for a slow reader), refetch what
 * is on screen.
 */
export const liveVmEventSchema = z.object({
  type: z.literal('vm'),
  vmId: z.uuid(),
  status: vmStatusSchema,
  powerState: powerStateSchema,
  /** The VM's latest operation, when the change is about one. */
  operation: z
    .object({
      id: z.uuid(),
      kind: operationKindSchema,
      status: operationStatusSchema,
      step: operationStepSchema.nullable(),
      progress: z.number().int().min(0).max(100).nullable(),
    })
    .nullable(),
});

export const liveEventSchema = z.discriminatedUnion('type', [
  liveVmEventSchema,
  /** The receiver's balance, transactions or notifications changed (a charge, a grant, a payment, a warning). */
  z.object({ type: z.literal('balance') }),
  /** Administrators: a server's health changed. */
  z.object({ type: z.literal('server'), serverId: z.uuid(), health: serverHealthSchema }),
]);
export type LiveEvent = z.infer<typeof liveEventSchema>;
export type LiveVmEvent = z.infer<typeof liveVmEventSchema>;

/** Control events of the stream itself. */
export const liveHelloSchema = z.object({
  /** Seconds between heartbeats (comment lines); a client that hears nothing for three of them should reconnect. */
  heartbeatSeconds: z.number().int().positive(),
});
export const liveEndSchema = z.object({
  /** Why the server closed the stream: the session ended (sign in again) or the access token expired (refresh, reconnect). */
  code: z.string(),
  message: z.string(),
  /** As in an error response: a suspension's `reason`; for CONFLICT (too many streams) `retryAfterSeconds`. */
  details: z.record(z.string(), z.unknown()).nullable().optional(),
});
