import { z } from 'zod';

/**
 * Stable error codes. Clients (our web, scripts, other integrations) switch on
 * these, so a code is never renamed or reused once released; the HTTP status
 * for each lives here too so the API maps them in exactly one place.
 */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  MALFORMED_REQUEST: 400,
  WEAK_PASSWORD: 400,
  WRONG_PASSWORD: 400,
  WEBHOOK_SIGNATURE_INVALID: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  TOKEN_EXPIRED: 401,
  SESSION_REVOKED: 401,
  REFRESH_TOKEN_INVALID: 401,
  REFRESH_TOKEN_REUSED: 401,
  INSUFFICIENT_CREDITS: 402,
  ACCOUNT_SUSPENDED: 403,
  ACCOUNT_BANNED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYMENTS_DISABLED: 404,
  NOT_ACCEPTABLE: 406,
  EMAIL_TAKEN: 409,
  CONFLICT: 409,
  NAME_TAKEN: 409,
  LAST_ADMIN: 409,
  SELF_ACTION: 409,
  INVALID_STATE_TRANSITION: 409,
  VM_BUSY: 409,
  VM_LOCKED: 409,
  VM_LIMIT_REACHED: 409,
  NO_CAPACITY: 409,
  TEMPLATE_UNAVAILABLE: 409,
  TEMPLATE_IN_USE: 409,
  ALREADY_REVERSED: 409,
  DISK_SHRINK_NOT_SUPPORTED: 400,
  TEMPLATE_SOURCE_INVALID: 422,
  CONSOLE_TICKET_INVALID: 401,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PROXMOX_CONNECTION_FAILED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  PROXMOX_UNAVAILABLE: 502,
  PAYMENT_PROVIDER_UNAVAILABLE: 502,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export const errorCodes = Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]];

export const fieldErrorSchema = z.object({
  path: z.string().describe('Dotted path of the offending field, e.g. "password" or "body.email"'),
  message: z.string(),
});
export type FieldError = z.infer<typeof fieldErrorSchema>;

export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string(),
      details: z
        .object({
          fields: z.array(fieldErrorSchema).optional(),
          retryAfterSeconds: z.number().int().optional(),
        })
        .catchall(z.unknown())
        .optional(),
    }),
    requestId: z.string(),
  })
  .meta({ id: 'ErrorResponse' });
export type ErrorResponse = z.infer<typeof errorResponseSchema>;
