import { errorStatus, type ErrorResponse, type FieldError } from '@uni-manager/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../lib/errors.js';

function send(reply: FastifyReply, request: FastifyRequest, err: AppError) {
  const body: ErrorResponse = {
    error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
    requestId: String(request.id),
  };
  const retry = err.details?.retryAfterSeconds;
  if (typeof retry === 'number') reply.header('retry-after', String(retry));
  return reply.status(errorStatus[err.code]).type('application/json; charset=utf-8').send(body);
}

/** Fastify's own client errors, by code, as ours. Anything not listed is ours to fix: a 500. */
function fromFastify(err: FastifyError): AppError | null {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('MALFORMED_REQUEST', 'The request body is empty but JSON was announced');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('MALFORMED_REQUEST', 'The request body is not valid JSON');
  }
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message)))
    return new AppError('MALFORMED_REQUEST', 'The request body is not valid JSON');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
    return new AppError('MALFORMED_REQUEST', err.message);
  return null;
}

/**
 * The API's strict headers, for answers given outside its routes (the router
 * refusing a URL, an unknown path), where the API scope's helmet never runs.
 */
function strictHeaders(reply: FastifyReply, production: boolean) {
  reply.header('content-security-policy', "default-src 'none';frame-ancestors 'none'");
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'SAMEORIGIN');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-resource-policy', 'same-origin');
  reply.header('x-request-id', String(reply.request.id));
  if (production) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
}

/**
 * Errors Fastify's router raises before any route runs (a malformed
 * percent-encoding, a path segment over the length limit): answered in our
 * shape, with the request id and the strict headers, never echoing the URL.
 */
export function frameworkErrors(production: boolean) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    strictHeaders(reply, production);
    const err =
      error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new AppError('URI_TOO_LONG', 'A part of the path is too long')
        : error.code === 'FST_ERR_BAD_URL'
          ? new AppError('MALFORMED_REQUEST', 'The path is not a valid URL: check its percent-encoding')
          : new AppError('MALFORMED_REQUEST', 'The request could not be routed');
    return send(reply, request, err);
  };
}

/** The one place errors become HTTP responses. */
export function registerErrorHandler(app: FastifyInstance, opts: { production: boolean }) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.status >= 500) request.log.error({ err: error }, error.message);
      return send(reply, request, error);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields: FieldError[] = error.validation.map((v) => {
        const where = error.validationContext ?? 'body';
        const sub = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
        const prefix = where === 'body' ? '' : `${where}.`;
        return { path: sub ? prefix + sub : where, message: v.message ?? 'Invalid value' };
      });
      return send(reply, request, new AppError('VALIDATION_FAILED', 'Some fields are invalid', { fields }));
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause.issues }, 'response did not match its contract');
      return send(reply, request, new AppError('INTERNAL', 'Something went wrong on our side; it has been logged'));
    }
    const mapped = fromFastify(error);
    if (mapped) return send(reply, request, mapped);
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, request, new AppError('INTERNAL', 'Something went wrong on our side; it has been logged'));
  });

  app.setNotFoundHandler((request, reply) => {
    strictHeaders(reply, opts.production);
    // The path is named, cut short: an unknown URL is not echoed back whole.
    const path = request.url.split('?')[0]!;
    return send(
      reply,
      request,
      new AppError('NOT_FOUND', `No route ${request.method} ${path.length > 120 ? `${path.slice(0, 120)}…` : path}`),
    );
  });
}
