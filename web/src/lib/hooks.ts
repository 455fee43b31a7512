// React hooks over the GraphQL transport: loading and error states for every
// query, mutations that report their own progress, subscriptions tied to a
// component's life.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TypedDocumentString } from '../gql/graphql';
import { gqlRequest, gqlSubscribe } from './graphql';

export interface QueryState<R> {
  data: R | undefined;
  error: Error | undefined;
  loading: boolean;
  /** Fetches again; the current data stays on screen meanwhile. */
  refetch: () => void;
}

export function useQuery<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  options: { skip?: boolean; pollMs?: number } = {},
): QueryState<R> {
  const [data, setData] = useState<R>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(options.skip !== true);
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(variables);
  const refetch = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    if (options.skip === true) {
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    gqlRequest(document, JSON.parse(key) as V, controller.signal)
      .then((result) => {
        setData(result);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (!controller.signal.aborted) {
          setError(e instanceof Error ? e : new Error(String(e)));
        }
      })
      .finally(() => {
        if (!controller.signal.aborted) {
          setLoading(false);
        }
      });
    return () => controller.abort();
  }, [document, key, options.skip, generation]);

  useEffect(() => {
    if (options.pollMs === undefined || options.skip === true) {
      return;
    }
    const timer = setInterval(refetch, options.pollMs);
    return () => clearInterval(timer);
  }, [options.pollMs, options.skip, refetch]);

  return { data, error, loading, refetch };
}

export interface MutationState<R, V> {
  run: (variables: V) => Promise<R | undefined>;
  loading: boolean;
  error: Error | undefined;
  reset: () => void;
}

/** run() resolves undefined (and sets error) when the request itself fails; typed results come back as data. */
export function useMutation<R, V>(document: TypedDocumentString<R, V>): MutationState<R, V> {
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<Error>();
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(
    async (variables: V) => {
      setLoading(true);
      setError(undefined);
      try {
        return await gqlRequest(document, variables);
      } catch (e) {
        if (mounted.current) {
          setError(e instanceof Error ? e : new Error(String(e)));
        }
        return undefined;
      } finally {
        if (mounted.current) {
          setLoading(false);
        }
      }
    },
    [document],
  );
  return { run, loading, error, reset: useCallback(() => setError(undefined), []) };
}

/** Subscribes while mounted (and not skipped); the latest onData is always the one called. */
export function useSubscription<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  onData: (data: R) => void,
  options: { skip?: boolean } = {},
): { error: Error | undefined } {
  const handler = useRef(onData);
  handler.current = onData;
  const [error, setError] = useState<Error>();
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (options.skip === true) {
      return;
    }
    setError(undefined);
    return gqlSubscribe(document, JSON.parse(key) as V, {
      next: (data) => handler.current(data),
      error: setError,
    });
  }, [document, key, options.skip]);
  return { error };
}
