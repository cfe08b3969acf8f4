import { z } from 'zod';

export const livenessSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  uptimeSeconds: z.number().nonnegative(),
});

export const dependencyCheckSchema = z.object({
  status: z.enum(['up', 'down', 'disabled']),
  latencyMs: z.number().nonnegative().optional(),
  message: z.string().optional(),
});

export const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({ database: dependencyCheckSchema, redis: dependencyCheckSchema }),
  down: z.array(z.string()).describe('Names of the dependencies that are down'),
});
export type Readiness = z.infer<typeof readinessSchema>;
