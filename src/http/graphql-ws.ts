// graphql-ws on the /graphql path of the shared HTTP server, executing through
// yoga's envelop so plugins, masking and the context factory are the same as
// over HTTP. Auth: connectionParams `{ authorization: 'Bearer <key>' }` or
// `{ apiKey }`, else the upgrade request's headers, else its session cookie
// (the web app). A bad key or session closes the
// socket (4403); no key connects, and each field then checks its scopes.
import { randomUUID } from 'node:crypto';
import type { DocumentNode, ExecutionArgs, GraphQLError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator.js';
import type { Caller } from '../auth/caller.js';
import { extractApiKey } from '../auth/api-key-crypto.js';
import type { SessionAuth } from '../auth/session-auth.js';
import type { RevocationHub } from '../auth/revocation.js';
import { asDatabaseUnavailable } from '../db/database-unavailable.js';
import type { Yoga } from './graphql.js';

// A type alias (not an interface) so it meets graphql-ws' Record constraint.
type ConnectionExtra = {
  caller: Caller | null;
  connectionId: string;
  /** Stops watching for the key's revocation (the socket closed). */
  untrack?: () => void;
};

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

interface EnvelopedOperation extends EnvelopedRoot {
  schema: GraphQLSchema;
  parse: (source: string) => DocumentNode;
  validate: (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];
  contextFactory: () => Promise<unknown>;
}

export function serveGraphQlOverWebSocket(options: {
  wss: WebSocketServer;
  yoga: Yoga;
  authenticator: Authenticator;
  /** The web app's session cookie on the upgrade request, when no key is sent. */
  sessions?: SessionAuth;
  revocations: RevocationHub;
  log: Logger;
}): { dispose(): Promise<void> } {
  const log = options.log.child({ component: 'graphql-ws' });
  const disposable = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      onConnect: async (ctx) => {
        const rawKey = keyFromConnectionParams(ctx.connectionParams) ?? extractApiKey(ctx.extra.request.headers);
        ctx.extra.connectionId = randomUUID();
        let caller: Caller | null | undefined;
        try {
          caller =
            rawKey === null ? await options.sessions?.fromCookieHeader(ctx.extra.request.headers.cookie) : await options.authenticator.authenticate(rawKey);
        } catch (error) {
          // The database could not tell (a key not in the cache, a web session).
          if (asDatabaseUnavailable(error) === undefined) {
            throw error;
          }
          // 1013 "try again later": clients reconnect (graphql-ws treats its own 4500 as fatal).
          ctx.extra.socket.close(1013, 'Database unavailable; retry shortly');
          return false;
        }
        if (caller === undefined) {
          ctx.extra.caller = null;
          return true;
        }
        if (caller === null) {
          log.info({ connectionId: ctx.extra.connectionId }, 'websocket refused: invalid API key');
          return false;
        }
        ctx.extra.caller = caller;
        // Revoked (on any instance): the socket closes with 4403, as a bad key at connect would.
        ctx.extra.untrack = options.revocations.track(caller.apiKeyId, () => ctx.extra.socket.close(4403, 'API key revoked'));
        return true;
      },
      onClose: (ctx) => {
        ctx.extra.untrack?.();
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, payload) => {
        const requestId = ctx.extra.connectionId ?? randomUUID();
        // envelop's types are loose (any); pin them to graphql's own signatures.
        const enveloped = options.yoga.getEnveloped({
          caller: ctx.extra.caller ?? null,
          log: log.child({ reqId: requestId }),
          requestId,
          params: payload,
        }) as unknown as EnvelopedOperation;
        // A syntax error or a document limit (tokens, aliases, depth...): an error message, not a closed socket.
        let document: DocumentNode;
        try {
          document = enveloped.parse(payload.query);
        } catch (error) {
          if (isGraphQlError(error)) {
            return [error];
          }
          throw error;
        }
        const args: ExecutionArgs = {
          schema: enveloped.schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe } satisfies EnvelopedRoot,
        };
        let errors: readonly GraphQLError[];
        try {
          errors = enveloped.validate(args.schema, args.document);
        } catch (error) {
          if (isGraphQlError(error)) {
            return [error];
          }
          throw error;
        }
        if (errors.length > 0) {
          return errors;
        }
        return args;
      },
    },
    options.wss,
  );
  return { dispose: async () => disposable.dispose() };
}

// Duck-typed: a second copy of `graphql` (ESM and CJS builds) breaks instanceof.
function isGraphQlError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError';
}

function keyFromConnectionParams(params: Record<string, unknown> | undefined): string | null {
  if (params === undefined) {
    return null;
  }
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string') {
      headers[name.toLowerCase()] = value;
    }
  }
  const fromHeaders = extractApiKey({ authorization: headers.authorization, 'x-api-key': headers['x-api-key'] });
  return fromHeaders ?? headers.apikey ?? headers.api_key ?? null;
}
