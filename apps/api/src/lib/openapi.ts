import { errorResponseSchema, type ErrorCode, errorStatus } from '@uni-manager/contracts';

/**
 * Error responses for a route's OpenAPI entry, by the codes it can return.
 * Every route can fail validation, and every non-public route can be refused.
 */
export function errors(...codes: ErrorCode[]) {
  const out: Record<number, typeof errorResponseSchema> = {};
  for (const c of codes) out[errorStatus[c]] = errorResponseSchema;
  return out;
}

export const AUTHED: ErrorCode[] = ['VALIDATION_FAILED', 'UNAUTHENTICATED', 'RATE_LIMITED'];
export const ADMIN: ErrorCode[] = [...AUTHED, 'FORBIDDEN'];
export const bearer = [{ bearerAuth: [] }];
