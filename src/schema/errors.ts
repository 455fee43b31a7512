// GraphQL shapes of the expected domain errors. A field lists the ones it can
// return (`errors: { types: [EmployeeNotFoundError] }`) and clients get a typed
// union member; every error shares the `Error` interface (message + code).
import { builder } from './builder.js';
import type { DomainError } from '../domain/errors.js';
import {
  ApiKeyNotFoundError,
  ConflictError,
  DuplicateEmployeeCodeError,
  EmployeeNotFoundError,
  NotFoundError,
  ValidationError,
} from '../domain/errors.js';
import type { ValidationIssue } from '../domain/errors.js';
import { EngineBusyError } from '../engine/engine-errors.js';

export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  description: 'An expected failure; `code` is stable, `message` is for people.',
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.string({ resolve: (e) => e.code }),
  }),
});

const ValidationIssueRef = builder.objectRef<ValidationIssue>('ValidationIssue').implement({
  fields: (t) => ({
    path: t.stringList({ resolve: (i) => i.path.map(String) }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ValidationError,
  fields: (t) => ({
    issues: t.field({ type: [ValidationIssueRef], resolve: (e) => e.issues }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NotFoundError && value.constructor === NotFoundError,
  fields: (t) => ({
    entity: t.exposeString('entity'),
    id: t.string({ resolve: (e) => String(e.id) }),
  }),
});

builder.objectType(EmployeeNotFoundError, {
  name: 'EmployeeNotFoundError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof EmployeeNotFoundError,
  fields: (t) => ({
    employeeId: t.int({ resolve: (e) => Number(e.id) }),
  }),
});

builder.objectType(ApiKeyNotFoundError, {
  name: 'ApiKeyNotFoundError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ApiKeyNotFoundError,
  fields: (t) => ({
    apiKeyId: t.int({ resolve: (e) => Number(e.id) }),
  }),
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ConflictError && value.constructor === ConflictError,
  fields: () => ({}),
});

builder.objectType(DuplicateEmployeeCodeError, {
  name: 'DuplicateEmployeeCodeError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof DuplicateEmployeeCodeError,
  fields: (t) => ({
    employeeCode: t.exposeString('employeeCode'),
  }),
});

builder.objectType(EngineBusyError, {
  name: 'EngineBusyError',
  description: 'The face engine is overloaded or recovering (REST: 503 with Retry-After); send the same request again after retryAfterSeconds.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof EngineBusyError,
  fields: (t) => ({
    retryAfterSeconds: t.exposeInt('retryAfterSeconds', { description: 'Seconds to wait before sending the request again (at least 1).' }),
  }),
});
