// GraphQL document limits, checked while parsing and validating, before any
// resolver runs (so 5,000 aliases of `health` cost one refusal, not 5,000
// database pings): graphql-armor's depth, alias, token, cost and directive
// limits; introspection only for callers the setting allows (in production);
// no "Did you mean ..." hints in production (they map the schema for someone
// without a key). Shared by HTTP and graphql-ws (both run through yoga's envelop).
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { Plugin } from 'graphql-yoga';
import { GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Config } from '../config.js';
import type { Caller } from '../auth/caller.js';

type ArmorConfig = Pick<
  Config,
  | 'NODE_ENV'
  | 'GRAPHQL_MAX_DEPTH'
  | 'GRAPHQL_MAX_ALIASES'
  | 'GRAPHQL_MAX_TOKENS'
  | 'GRAPHQL_MAX_COST'
  | 'GRAPHQL_MAX_DIRECTIVES'
  | 'GRAPHQL_INTROSPECTION'
>;

const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** Whether this caller may run __schema / __type queries. */
export function mayIntrospect(config: Pick<Config, 'NODE_ENV' | 'GRAPHQL_INTROSPECTION'>, caller: Caller | null): boolean {
  if (config.NODE_ENV !== 'production') {
    return true;
  }
  switch (config.GRAPHQL_INTROSPECTION) {
    case 'all':
      return true;
    case 'keyed':
      return caller !== null;
    case 'off':
      return false;
  }
}

export function graphqlArmorPlugins(config: ArmorConfig): Plugin[] {
  const production = config.NODE_ENV === 'production';
  const armor = EnvelopArmorPlugin({
    maxDepth: { n: config.GRAPHQL_MAX_DEPTH, ignoreIntrospection: true },
    maxAliases: { n: config.GRAPHQL_MAX_ALIASES },
    maxTokens: { n: config.GRAPHQL_MAX_TOKENS },
    costLimit: { maxCost: config.GRAPHQL_MAX_COST, ignoreIntrospection: true },
    maxDirectives: { n: config.GRAPHQL_MAX_DIRECTIVES },
    // Its pattern misses enum-value and type hints; ours below catches every form.
    blockFieldSuggestion: { enabled: false },
  }) as Plugin;

  const introspectionGate: Plugin<{ caller?: Caller | null }> = {
    onValidate({ addValidationRule, context }) {
      if (!mayIntrospect(config, context.caller ?? null)) {
        addValidationRule(NoSchemaIntrospectionCustomRule);
      }
    },
  };

  const hideSuggestions: Plugin = {
    onValidate() {
      return ({ valid, result, setResult }) => {
        if (!valid) {
          setResult(result.map(withoutSuggestion));
        }
      };
    },
    // Variable coercion errors (e.g. a misspelt enum value) come from execution.
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if ('errors' in result && result.errors !== undefined && result.errors.length > 0) {
            setResult({ ...result, errors: result.errors.map(withoutSuggestion) });
          }
        },
      };
    },
  };

  return [armor, introspectionGate, ...(production ? [hideSuggestions] : [])];
}

function withoutSuggestion<E extends Error>(error: E): E {
  const message = error.message.replace(SUGGESTION, '').trim();
  if (message === error.message) {
    return error;
  }
  if (!(error instanceof GraphQLError)) {
    error.message = message;
    return error;
  }
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  }) as unknown as E;
}
