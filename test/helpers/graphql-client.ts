// A tiny typed GraphQL-over-HTTP client for tests: operations come from
// test/graphql/generated.ts, so results are typed by the schema.
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

export interface GraphQlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GraphQlResponse<R> {
  status: number;
  data: R | null;
  errors: GraphQlError[] | undefined;
}

export async function graphqlRequest<R, V>(
  baseUrl: string,
  document: TypedDocumentNode<R, V>,
  variables: V,
  key: string | null,
): Promise<GraphQlResponse<R>> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: R | null; errors?: GraphQlError[] };
  return { status: response.status, data: body.data ?? null, errors: body.errors };
}

/** The codes of a response's top-level errors, e.g. ['FORBIDDEN']. */
export function errorCodes(response: { errors?: GraphQlError[] | undefined }): (string | undefined)[] {
  return (response.errors ?? []).map((e) => e.extensions?.code);
}
