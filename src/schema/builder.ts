// Configures the Pothos builder only: plugins, scalars, the context type and the
// auth scopes. Type files (one per domain) import `builder` and add to it.
import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError, Kind } from 'graphql';
import type { ValueNode } from 'graphql';
import type { RequestContext } from '../context.js';
import { can } from '../auth/permissions.js';
import type { Permission } from '../auth/permissions.js';
import { ForbiddenError, UnauthenticatedError } from '../domain/errors.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface SchemaTypes {
  Context: RequestContext;
  AuthScopes: {
    /** Open to anyone, without a key (health). */
    public: boolean;
    /** Any valid key, whatever its role. */
    authenticated: boolean;
    /** A permission of src/auth/permissions.ts: `authScopes: { permission: 'employees:read' }`. */
    permission: Permission;
  };
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: JsonValue; Output: unknown };
  };
  /** Fields are non-null unless they say `nullable: true`. */
  DefaultFieldNullability: false;
}

export const builder = new SchemaBuilder<SchemaTypes>({
  // scope-auth first, so no other plugin's wrapper runs before the check.
  plugins: [ScopeAuthPlugin, ErrorsPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    // Subscriptions are refused when they start, not silently on every event.
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      public: true,
      authenticated: ctx.caller !== null,
      permission: (permission) => ctx.caller !== null && can(ctx.caller.role, permission),
    }),
    // No key → 401-like UNAUTHENTICATED; a key without the permission → FORBIDDEN.
    unauthorizedError: (_parent, ctx) => (ctx.caller === null ? new UnauthenticatedError() : new ForbiddenError()),
  },
  // Fields returning an object type usually set `errors: { types: [...], directResult: true }`
  // for `Employee | EmployeeNotFoundError` without a Success wrapper (scalars cannot).
  errors: {},
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

builder.scalarType('DateTime', {
  description: 'ISO-8601 date and time in UTC, e.g. 2026-01-31T08:15:00.000Z',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value).toISOString()),
  parseValue: (value) => parseDate(value),
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : null),
});

builder.scalarType('JSON', {
  description: 'Any JSON value',
  serialize: (value) => value,
  parseValue: (value) => value as JsonValue,
  parseLiteral: (ast) => literalToJson(ast),
});

function parseDate(value: unknown): Date {
  if (typeof value === 'string' || typeof value === 'number') {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) {
      return date;
    }
  }
  throw new GraphQLError('DateTime must be an ISO-8601 string', { extensions: { code: 'BAD_USER_INPUT' } });
}

function literalToJson(ast: ValueNode): JsonValue {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.ENUM:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map(literalToJson);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalToJson(f.value)]));
    case Kind.VARIABLE:
      throw new GraphQLError('JSON literals cannot contain variables', { extensions: { code: 'BAD_USER_INPUT' } });
  }
}
