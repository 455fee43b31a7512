// Service tests without HTTP (as Immich's medium tests do): a fresh, migrated
// MariaDB database, a temporary DATA_DIR, a settable clock, a silent logger and
// an in-memory event bus. A test builds the one service it is about from these
// real parts (each service takes only the slice it uses), or the whole
// composition root with compose().
//
//   const kit = await createServiceKit();
//   const employees = createEmployeeService({ ...kit.pick('config', 'clock', 'events', 'log'), employees: createEmployeeRepository(kit.db.prisma) });
//   ...
//   await kit.stop();
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { AppDeps } from '../../src/app-deps.js';
import { createAuthenticator } from '../../src/auth/authenticator.js';
import type { Config } from '../../src/config.js';
import type { FaceEngine } from '../../src/engine/face-engine.js';
import type { PayloadOf, PlainTopic } from '../../src/events/buffered-subscriptions.js';
import { createEventBus } from '../../src/events/event-bus.js';
import { newInstanceId } from '../../src/cluster/instance-id.js';
import { AppMetrics } from '../../src/metrics/app-metrics.js';
import { templateCipherFromConfig } from '../../src/crypto/template-cipher.js';
import { createServices, type ComposedServices, type JobIntervals } from '../../src/services/create-services.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { testConfig } from './test-config.js';

export interface ServiceKit {
  readonly db: TestDatabase;
  readonly config: Config;
  readonly dataDir: string;
  /** Everything buildApp would hand the composition root, with the face engine given (default none). */
  readonly deps: AppDeps;
  /** The parts a service takes, e.g. kit.pick('prisma', 'clock'). */
  pick<K extends keyof AppDeps>(...keys: K[]): Pick<AppDeps, K>;
  /** Moves the clock every service of this kit reads. */
  setNow(at: Date | string): void;
  /** Payloads published on a (plain) topic from now on, in order. */
  record<K extends PlainTopic>(topic: K): PayloadOf<K>[];
  /** The whole composition root on these parts (not started). */
  compose(options?: { jobIntervals?: Partial<JobIntervals> }): ComposedServices;
  /** Stops what compose() built, closes the bus, drops the database and the DATA_DIR. */
  stop(): Promise<void>;
}

export async function createServiceKit(options: { env?: Record<string, string>; faceEngine?: FaceEngine | null } = {}): Promise<ServiceKit> {
  const db = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'fa-service-'));
  // Services log through the silent logger below, whatever TEST_LOG_LEVEL says.
  const config = testConfig({ LOG_LEVEL: 'silent', DATABASE_URL: db.url, DATA_DIR: dataDir, ...options.env });
  const log = pino({ level: 'silent' });
  let now = new Date();
  const clock = (): Date => now;
  const bus = createEventBus({ log });
  const instanceId = newInstanceId();
  const deps: AppDeps = {
    config,
    prisma: db.prisma,
    log,
    clock,
    events: bus.pubsub,
    pubsub: bus.pubsub,
    eventBusKind: bus.kind,
    authenticator: createAuthenticator({ prisma: db.prisma, secretKey: config.SECRET_KEY, clock, log }),
    faceEngine: options.faceEngine ?? null,
    startedAt: clock(),
    templateCipher: templateCipherFromConfig(config),
    // One instance, without Redis: no cluster parts.
    instanceId,
    cluster: null,
    metrics: new AppMetrics(instanceId),
  };
  const composed: ComposedServices[] = [];
  const recorders: (() => void)[] = [];

  return {
    db,
    config,
    dataDir,
    deps,
    pick: (...keys) => Object.fromEntries(keys.map((k) => [k, deps[k]])) as Pick<AppDeps, (typeof keys)[number]>,
    setNow(at) {
      now = new Date(at);
    },
    record<K extends PlainTopic>(topic: K) {
      const seen: PayloadOf<K>[] = [];
      const iterator = (bus.pubsub.subscribe as (name: K) => AsyncIterable<PayloadOf<K>>)(topic)[Symbol.asyncIterator]();
      recorders.push(() => void iterator.return?.());
      void (async () => {
        for (;;) {
          const next = await iterator.next();
          if (next.done === true) {
            return;
          }
          seen.push(next.value);
        }
      })();
      return seen;
    },
    compose(composeOptions = {}) {
      const services = createServices({ ...deps, ...(composeOptions.jobIntervals && { jobIntervals: composeOptions.jobIntervals }) });
      composed.push(services);
      return services;
    },
    async stop() {
      await Promise.all(composed.map((c) => c.stop()));
      recorders.forEach((end) => end());
      await bus.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
