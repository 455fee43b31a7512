// What every service, GraphQL resolver and REST handler gets: the app's
// long-lived dependencies (AppDeps, built once by buildApp) and, per request,
// the caller, fresh DataLoaders and a child logger carrying the request id.
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { PrismaClient } from './generated/prisma/client.js';
import type { FaceEngine } from './engine/face-engine.js';
import type { Authenticator } from './auth/authenticator.js';
import type { Caller } from './auth/caller.js';
import type { AppPubSub, EventPublisher } from './events/event-bus.js';
import type { TemplateCipher } from './crypto/template-cipher.js';
import type { RevocationHub } from './auth/revocation.js';
import { createLoaders } from './loaders.js';
import type { Loaders } from './loaders.js';

export interface AppDeps {
  readonly config: Config;
  readonly prisma: PrismaClient;
  readonly log: Logger;
  readonly clock: () => Date;
  /** Services publish through this; subscriptions read `pubsub`. */
  readonly events: EventPublisher;
  readonly pubsub: AppPubSub;
  readonly eventBusKind: 'memory' | 'redis';
  readonly authenticator: Authenticator;
  /** Optional until the engine is wired in; features that need it answer 503 without it. */
  readonly faceEngine: FaceEngine | null;
  readonly startedAt: Date;
  /** Encrypts face embeddings and classifier artifacts at rest (TEMPLATE_ENCRYPTION_KEY). */
  readonly templateCipher: TemplateCipher;
  /** Closes a revoked key's long-lived connections (graphql-ws, SSE, the old stream) on every instance. */
  readonly revocations: RevocationHub;
}

export interface RequestContext {
  readonly deps: AppDeps;
  readonly caller: Caller | null;
  readonly loaders: Loaders;
  readonly log: Logger;
  readonly requestId: string;
}

export function createRequestContext(
  deps: AppDeps,
  request: { caller: Caller | null; log: Logger; requestId: string },
): RequestContext {
  return {
    deps,
    caller: request.caller,
    loaders: createLoaders(deps.prisma),
    log: request.log,
    requestId: request.requestId,
  };
}
