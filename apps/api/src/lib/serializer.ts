import { isDeepStrictEqual } from 'node:util';
import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { ResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { $ZodType, safeEncode } from 'zod/v4/core';
import type { Logger } from './logger.js';

type Serialize = (data: unknown) => string;

function zodOf(maybe: unknown): $ZodType {
  if (maybe instanceof $ZodType) return maybe;
  const inner = (maybe as { properties?: unknown } | null)?.properties;
  if (inner instanceof $ZodType) return inner;
  throw new Error('a response schema that is not a zod schema');
}

/**
 * Responses are written by fast-json-stringify, compiled once per route and
 * status from the JSON Schema the zod contract already produces: it emits
 * only the properties the contract names (nothing else a row carries leaks
 * out) and skips JSON.stringify's generic walk. Where a schema cannot be said
 * in JSON Schema, that route falls back to JSON.stringify.
 *
 * With `check` (development and tests) every response is first checked
 * against its zod contract, as before; with `crossCheck` (tests) the fast
 * output is also compared with what JSON.stringify of the checked value
 * gives, so every test response proves the two agree.
 */
export function createResponseSerializerCompiler(opts: {
  check: boolean;
  crossCheck: boolean;
  logger: Logger;
}): FastifySerializerCompiler<unknown> {
  return ({ schema, method, url, httpStatus }) => {
    const zs = zodOf(schema);
    let fast: Serialize | null = null;
    try {
      fast = fastJson(z.toJSONSchema(zs, { io: 'output', target: 'draft-7', unrepresentable: 'throw' }) as object);
    } catch (err) {
      opts.logger.debug(
        { err, method, url, httpStatus },
        'response schema not expressible in JSON Schema; using JSON.stringify',
      );
    }
    const write: Serialize = fast ?? ((d) => JSON.stringify(d));
    if (!opts.check) return write;
    return (data) => {
      const r = safeEncode(zs, data);
      if (r.error) throw new ResponseSerializationError(method, url, { cause: r.error });
      const out = write(r.data);
      if (opts.crossCheck && fast) {
        const expected: unknown = JSON.parse(JSON.stringify(r.data));
        if (!isDeepStrictEqual(JSON.parse(out), expected)) {
          throw new Error(
            `${method} ${url} ${httpStatus}: fast-json-stringify wrote ${out.slice(0, 500)}; ` +
              `JSON.stringify gives ${JSON.stringify(expected).slice(0, 500)}`,
          );
        }
      }
      return out;
    };
  };
}
