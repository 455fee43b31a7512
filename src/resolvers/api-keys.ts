// GraphQL resolvers of API keys and `me`. Shapes live in src/schema/api-key.ts.
import type { Caller } from '../auth/caller.js';
import type { Role } from '../auth/permissions.js';
import type { RequestContext } from '../context.js';
import type { ApiKeyView, CreatedApiKey } from '../services/api-key-service.js';

type Maybe<T> = T | null | undefined;

export const apiKeyResolvers = {
  me: (ctx: RequestContext): Caller => {
    // authScopes guarantees a caller; the check keeps the type honest.
    if (ctx.caller === null) {
      throw new Error('unreachable: unauthenticated caller passed the scope check');
    }
    return ctx.caller;
  },

  apiKeys: (args: { includeRevoked?: Maybe<boolean> }, ctx: RequestContext): Promise<ApiKeyView[]> =>
    ctx.services.apiKeys.list({ includeRevoked: args.includeRevoked }),

  createApiKey: (args: { input: { name: string; role: Role; cameraId?: Maybe<number> } }, ctx: RequestContext): Promise<CreatedApiKey> =>
    ctx.services.apiKeys.create(ctx.caller, args.input),

  revokeApiKey: (args: { id: number }, ctx: RequestContext): Promise<ApiKeyView> => ctx.services.apiKeys.revoke(ctx.caller, args.id),
};
