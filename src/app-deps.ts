// The app's infrastructure, built once by buildApp: config, database, logger,
// clock, event bus, authenticator and face engine. Only the composition root
// (src/services/create-services.ts) hands slices of it to services; the
// transports get the services instead.
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { PrismaClient } from './generated/prisma/client.js';
import type { FaceEngine } from './engine/face-engine.js';
import type { Authenticator } from './auth/authenticator.js';
import type { AppPubSub, EventPublisher } from './events/event-bus.js';
import type { Cluster } from './cluster/cluster.js';
import type { InstanceId } from './cluster/instance-id.js';
import type { AppMetrics } from './metrics/app-metrics.js';
import type { TemplateCipher } from './crypto/template-cipher.js';

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
  /** null without installed models: features that need it answer 503. */
  readonly faceEngine: FaceEngine | null;
  readonly startedAt: Date;
  /** This process among the instances of the deployment (stable for its lifetime). */
  readonly instanceId: InstanceId;
  /** Shared state with the other instances; null without REDIS_URL (one instance). */
  readonly cluster: Cluster | null;
  /** Prometheus metrics of this instance (GET /metrics). */
  readonly metrics: AppMetrics;
  /** Encrypts face embeddings and classifier artifacts at rest (TEMPLATE_ENCRYPTION_KEY). */
  readonly templateCipher: TemplateCipher;
}
