import { errorResponseSchema, type ErrorCode, type FieldError } from '@uni-manager/contracts';

/** Failures that never reached a server answer we understand. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'BAD_RESPONSE';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
    readonly retryAfterSeconds?: number,
    readonly requestId?: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** Builds the error from any non-2xx response, even one that is not our JSON shape (a proxy's 502 page). */
  static async fromResponse(res: Response): Promise<ApiError> {
    const retryAfterHeader = Number(res.headers.get('retry-after'));
    const headerRetry = Number.isFinite(retryAfterHeader) && retryAfterHeader > 0 ? retryAfterHeader : undefined;
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
    const parsed = errorResponseSchema.safeParse(body);
    if (parsed.success) {
      const { error, requestId } = parsed.data;
      const { fields, retryAfterSeconds, ...rest } = error.details ?? {};
      return new ApiError(
        res.status,
        error.code,
        error.message,
        fields ?? [],
        retryAfterSeconds ?? headerRetry,
        requestId,
        rest,
      );
    }
    return new ApiError(res.status, codeForStatus(res.status), res.statusText || `HTTP ${res.status}`, [], headerRetry);
  }

  static network(cause: unknown): ApiError {
    return new ApiError(0, 'NETWORK_ERROR', cause instanceof Error ? cause.message : 'Network error');
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

function codeForStatus(status: number): ErrorCode | ClientErrorCode {
  if (status === 429) return 'RATE_LIMITED';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 503 || status === 502 || status === 504) return 'SERVICE_UNAVAILABLE';
  if (status >= 500) return 'INTERNAL';
  return 'BAD_RESPONSE';
}

/** "body.email" and "email" both name the form field "email". */
export function fieldName(path: string): string {
  const parts = path.split('.');
  return parts[parts.length - 1] ?? path;
}
