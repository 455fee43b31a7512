// What GraphQL resolvers and REST routes get: the app's services (built once
// by src/services/create-services.ts) and, per request, the caller, fresh
// DataLoaders and a child logger carrying the request id. Nothing here reaches
// the database but the loaders.
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Caller } from './auth/caller.js';
import type { AppPubSub } from './events/event-bus.js';
import type { LiveEvents } from './live/live-events.js';
import type { Loaders } from './loaders.js';
import type { Services } from './services/create-services.js';

/** The app-wide half of every request context. */
export interface AppContext {
  readonly services: Services;
  /** Subscriptions read topics here. */
  readonly pubsub: Pick<AppPubSub, 'subscribe'>;
  /** Camera frames and decisions, each subscriber behind a drop-oldest buffer. */
  readonly live: LiveEvents;
  readonly config: Pick<Config, 'BODY_LIMIT_BYTES' | 'TIMEZONE'>;
  /** Fresh per-request DataLoaders (nothing cached across callers). */
  newLoaders(): Loaders;
}

export interface RequestContext {
  readonly services: Services;
  readonly pubsub: Pick<AppPubSub, 'subscribe'>;
  readonly live: LiveEvents;
  /** Decoded frames and photos larger than this are refused (413). */
  readonly bodyLimitBytes: number;
  readonly caller: Caller | null;
  readonly loaders: Loaders;
  readonly log: Logger;
  readonly requestId: string;
}

export function createRequestContext(
  app: AppContext,
  request: { caller: Caller | null; log: Logger; requestId: string },
): RequestContext {
  return {
    services: app.services,
    pubsub: app.pubsub,
    live: app.live,
    bodyLimitBytes: app.config.BODY_LIMIT_BYTES,
    caller: request.caller,
    loaders: app.newLoaders(),
    log: request.log,
    requestId: request.requestId,
  };
}
