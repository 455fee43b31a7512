// The app's GraphQL transport: queries and mutations as POST /graphql, and
// subscriptions over graphql-ws, both at this origin and authenticated by the
// session cookie (never a key in page memory). Operations are typed strings
// generated from web/src/graphql/*.graphql (src/gql/graphql.ts).
import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from '../gql/graphql';

export class GraphQlRequestError extends Error {
  constructor(
    message: string,
    /** extensions.code: UNAUTHENTICATED, FORBIDDEN, ...; NETWORK when the server was not reached. */
    readonly code: string,
  ) {
    super(message);
    this.name = 'GraphQlRequestError';
  }
}

interface GraphQlResponse<R> {
  data?: R | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

type Listener = () => void;
const unauthenticatedListeners = new Set<Listener>();

/** Called when the server says the session is gone (expired, revoked): the app shows sign-in. */
export function onUnauthenticated(listener: Listener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export async function gqlRequest<R, V>(document: TypedDocumentString<R, V>, variables: V, signal?: AbortSignal): Promise<R> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query: document.toString(), variables }),
      signal: signal ?? null,
    });
  } catch (error) {
    if (signal?.aborted === true) {
      throw error;
    }
    throw new GraphQlRequestError('The server could not be reached. Check the connection and try again.', 'NETWORK');
  }
  let body: GraphQlResponse<R>;
  try {
    body = (await response.json()) as GraphQlResponse<R>;
  } catch {
    throw new GraphQlRequestError(`The server answered ${response.status} without GraphQL data.`, 'BAD_RESPONSE');
  }
  const first = body.errors?.[0];
  if (first !== undefined) {
    const code = first.extensions?.code ?? 'ERROR';
    if (code === 'UNAUTHENTICATED') {
      unauthenticatedListeners.forEach((l) => l());
    }
    throw new GraphQlRequestError(first.message, code);
  }
  if (body.data === undefined || body.data === null) {
    throw new GraphQlRequestError('The server answered without data.', 'BAD_RESPONSE');
  }
  return body.data;
}

let wsClient: Client | undefined;

/** One WebSocket for every subscription of the page; opened on first use, closed when idle. */
function subscriptions(): Client {
  wsClient ??= createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    lazy: true,
    lazyCloseTimeout: 3_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    // A refused socket (4403: session revoked) is not retried.
    shouldRetry: (event) => !(event instanceof CloseEvent && event.code === 4403),
  });
  return wsClient;
}

/** After sign-in or sign-out: the next subscription connects with the new cookie. */
export function resetSubscriptions(): void {
  const old = wsClient;
  wsClient = undefined;
  void old?.dispose();
}

export function gqlSubscribe<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  handlers: { next(data: R): void; error?(error: Error): void },
): () => void {
  return subscriptions().subscribe<R>(
    { query: document.toString(), variables: variables as Record<string, unknown> },
    {
      next: (message) => {
        if (message.errors !== undefined && message.errors.length > 0) {
          handlers.error?.(new GraphQlRequestError(message.errors[0]?.message ?? 'Subscription failed', 'ERROR'));
          return;
        }
        if (message.data !== undefined && message.data !== null) {
          handlers.next(message.data);
        }
      },
      error: (error) => handlers.error?.(error instanceof Error ? error : new Error('The live connection closed.')),
      complete: () => undefined,
    },
  );
}
