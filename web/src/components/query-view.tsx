// What a page shows for the data of a query: its error (with "Try again"), "Loading…" the
// first time, then the data; data already on screen stays while it is fetched again.
import type { ReactElement, ReactNode } from 'react';
import type { QueryState } from '../lib/hooks';
import { ErrorNotice, Loading } from './ui';

export function QueryView<T>({
  query,
  data,
  what,
  error = query.error,
  children,
}: {
  query: Pick<QueryState<unknown>, 'error' | 'loading' | 'refetch'>;
  /** The part of the query's answer the page shows; undefined until it has come. */
  data: T | undefined;
  /** "Loading <what>…" */
  what: string;
  /** The error to show, when more than the query's own can fail here. */
  error?: Error | undefined;
  children: (data: T) => ReactNode;
}): ReactElement {
  return (
    <>
      <ErrorNotice error={error} onRetry={query.refetch} />
      {data === undefined ? (query.loading ? <Loading what={what} /> : null) : children(data)}
    </>
  );
}
