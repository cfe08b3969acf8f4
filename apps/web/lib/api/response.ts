import type { z } from 'zod';
import { ApiError } from './errors';

/** How far the local clock is ahead of the server's, from the response's Date header. */
export function clockSkewOf(res: Response): number {
  const serverNow = Date.parse(res.headers.get('date') ?? '');
  return Number.isFinite(serverNow) ? Date.now() - serverNow : 0;
}

export async function parseJson<T>(res: Response, schema: z.ZodType<T>): Promise<T> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(res.status, 'BAD_RESPONSE', 'The response is not JSON');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(res.status, 'BAD_RESPONSE', `Unexpected response shape: ${parsed.error.message}`);
  }
  return parsed.data;
}
