// One error mapping for every HTTP route, shaped like the replaced FastAPI
// service: `{ "detail": "..." }`, validation failures as 422 with
// `{ "detail": [{ loc, msg, type }] }`. Unexpected errors are logged and masked.
// A transient domain error (EngineBusyError: 503) also sets `Retry-After`.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, ValidationError } from '../domain/errors.js';
import { asDatabaseUnavailable } from '../db/database-unavailable.js';

export interface FastApiValidationItem {
  loc: (string | number)[];
  msg: string;
  type: string;
}

// fastify says "querystring"/"params"; FastAPI said "query"/"path".
const locationNames: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((raw: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    // A database that is not serving is a 503 the client may retry, never a 500.
    const unavailable = asDatabaseUnavailable(raw);
    const error = (unavailable ?? raw) as FastifyError;
    const { status, body, code } = toResponse(error, request);
    const retryAfter = error instanceof DomainError ? error.retryAfterSeconds : undefined;
    if (retryAfter !== undefined) {
      void reply.header('retry-after', String(retryAfter));
    }
    if (unavailable !== undefined) {
      request.log.warn({ err: raw }, 'database unavailable');
    } else if (status >= 500 && retryAfter === undefined) {
      request.log.error({ err: error }, 'request failed');
    } else {
      // Expected refusals (bad input, an overloaded engine answered 503 + Retry-After): no stack.
      request.log.info({ status, code }, error.message);
    }
    if (isGraphQlRequest(request)) {
      // GraphQL clients expect a GraphQL-shaped body even for transport errors.
      const message = typeof body.detail === 'string' ? body.detail : 'Invalid request';
      return reply.status(status).send({ errors: [{ message, extensions: { code } }] });
    }
    return reply.status(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    return reply.status(404).send({ detail: 'Not Found' });
  });
}

function isGraphQlRequest(request: FastifyRequest): boolean {
  return request.url === '/graphql' || request.url.startsWith('/graphql?');
}

function toResponse(
  error: FastifyError,
  _request: FastifyRequest,
): { status: number; body: { detail: string | FastApiValidationItem[] }; code: string } {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const location = locationNames[error.validationContext ?? 'body'] ?? 'body';
    return {
      status: 422,
      code: 'VALIDATION_FAILED',
      body: {
        detail: error.validation.map((v) => ({
          loc: [location, ...v.instancePath.split('/').filter((p) => p !== '')],
          msg: v.message ?? 'invalid',
          type: v.keyword,
        })),
      },
    };
  }
  if (error instanceof ValidationError) {
    return {
      status: 422,
      code: error.code,
      body: { detail: error.issues.map((i) => ({ loc: ['body', ...i.path], msg: i.message, type: 'value_error' })) },
    };
  }
  if (error instanceof DomainError) {
    return { status: error.status, code: error.code, body: { detail: error.message } };
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, code: 'PAYLOAD_TOO_LARGE', body: { detail: 'Request body too large' } };
  }
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (error instanceof SyntaxError && error.statusCode === 400)) {
    return { status: 400, code: 'BAD_REQUEST', body: { detail: 'Malformed JSON body' } };
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return { status, code: error.code ?? 'BAD_REQUEST', body: { detail: error.message } };
  }
  return { status: 500, code: 'INTERNAL_SERVER_ERROR', body: { detail: 'Internal Server Error' } };
}
