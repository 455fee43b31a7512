// A graphql-yoga plugin timing every query and mutation by operation name
// (over HTTP and graphql-ws alike; subscriptions are long-lived streams and
// are not timed). An anonymous operation reads `anonymous`.
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { AppMetrics } from './app-metrics.js';

export function graphqlMetricsPlugin(metrics: AppMetrics): Plugin {
  return {
    onExecute({ args }) {
      const { document, operationName } = args as { document: DocumentNode; operationName?: string | null };
      const operation = getOperationAST(document, operationName ?? undefined);
      const stop = metrics.graphqlDuration.startTimer({ operation: operation?.name?.value ?? 'anonymous', type: operation?.operation ?? 'unknown' });
      return {
        onExecuteDone({ result }) {
          const failed = 'errors' in result && Array.isArray(result.errors) && result.errors.length > 0;
          stop({ outcome: failed ? 'error' : 'ok' });
        },
      };
    },
  };
}
