import { errorStatus, type ErrorCode, type FieldError } from '@uni-manager/contracts';

/**
 * The one error type services throw. It carries a stable code; the HTTP status
 * comes from the contract table in the error handler, so services never deal
 * with HTTP.
 */
export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: Record<string, unknown> & { fields?: FieldError[] },
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return errorStatus[this.code];
  }

  static notFound(what: string): AppError {
    return new AppError('NOT_FOUND', `${what} not found`);
  }

  static field(code: ErrorCode, path: string, message: string): AppError {
    return new AppError(code, message, { fields: [{ path, message }] });
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
