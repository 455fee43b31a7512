// reload-models for the whole deployment (REST /system/reload-models, GraphQL
// reloadModels): the instance asked reloads its gallery and classifier from
// the database and asks every other instance to do the same through the
// typed pub/sub (`modelsReloadRequested`); each answers with what it loaded
// (`modelsReloaded`). The caller learns which instances reloaded, which
// failed and which did not answer within the wait (they still reload when the
// request reaches them; an instance the request never reached, Redis being
// away, does not). One instance alone: only itself, as before.
//
// Both topics are subscribed once at start, so an answer never arrives
// before its listener exists.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AppPubSub } from '../events/event-bus.js';
import type { ModelsReloadedEvent } from '../recognition/events.js';
import type { RecognitionModels, RecognitionModelsStatus } from './recognition-models.js';

/** How long the asked instance waits for the others' answers. */
export const RELOAD_ANSWER_WAIT_MS = 10_000;

export interface InstanceReload {
  instanceId: string;
  ok: boolean;
  templateCount: number;
  employeeCount: number;
  method: RecognitionModelsStatus['method'];
  classifierModelId: number | null;
  error: string | null;
}

export interface ModelsReloadOutcome {
  /** This instance's models after its reload. */
  here: RecognitionModelsStatus;
  /** Every instance that answered, this one first. */
  instances: InstanceReload[];
  /** Live instances that gave no answer within the wait. */
  notAnswered: string[];
}

export interface ModelsReload {
  /** Starts answering other instances' requests. */
  start(): void;
  stop(): void;
  /** Reloads here and on every live instance; rejects only when this instance's own reload fails. */
  reloadEverywhere(): Promise<ModelsReloadOutcome>;
}

export interface ModelsReloadDeps {
  models: Pick<RecognitionModels, 'reload' | 'status'>;
  pubsub: Pick<AppPubSub, 'publish' | 'subscribe'>;
  instanceId: string;
  /** Ids of the live server instances (this one included). */
  liveInstances(): Promise<string[]>;
  clock: () => Date;
  log: Logger;
  answerWaitMs?: number;
}

const describeError = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 300);

function fromStatus(instanceId: string, s: RecognitionModelsStatus): InstanceReload {
  return { instanceId, ok: true, templateCount: s.templateCount, employeeCount: s.employeeCount, method: s.method, classifierModelId: s.svm?.id ?? null, error: null };
}

export function createModelsReload(deps: ModelsReloadDeps): ModelsReload {
  const log = deps.log.child({ component: 'models-reload' });
  const waitMs = deps.answerWaitMs ?? RELOAD_ANSWER_WAIT_MS;
  /** Open requests of this instance: the answers gathered so far, and who is still awaited. */
  const open = new Map<string, { answers: Map<string, InstanceReload>; awaited: Set<string>; done(): void }>();
  let stopListening = (): void => undefined;

  const answer = async (requestId: string): Promise<void> => {
    let reply: InstanceReload;
    try {
      await deps.models.reload();
      reply = fromStatus(deps.instanceId, deps.models.status());
      log.info({ requestId }, 'models reloaded at the request of another instance');
    } catch (error) {
      log.error({ err: error, requestId }, 'models reload asked by another instance failed');
      reply = { instanceId: deps.instanceId, ok: false, templateCount: 0, employeeCount: 0, method: deps.models.status().method, classifierModelId: null, error: describeError(error) };
    }
    const event: ModelsReloadedEvent = { requestId, ...reply, at: deps.clock().toISOString() };
    deps.pubsub.publish('modelsReloaded', event);
  };

  const follow = <T>(iterator: AsyncIterator<T>, handle: (value: T) => void, topic: string): void => {
    void (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) {
          return;
        }
        handle(next.value);
      }
    })().catch((error: unknown) => log.warn({ err: error }, `${topic} subscription ended`));
  };

  return {
    start() {
      const requests = deps.pubsub.subscribe('modelsReloadRequested')[Symbol.asyncIterator]();
      const answers = deps.pubsub.subscribe('modelsReloaded')[Symbol.asyncIterator]();
      stopListening = () => {
        void requests.return?.();
        void answers.return?.();
      };
      follow(
        requests,
        (request) => {
          if (request.from !== deps.instanceId) {
            void answer(request.requestId);
          }
        },
        'modelsReloadRequested',
      );
      follow(
        answers,
        (event) => {
          const waiting = open.get(event.requestId);
          if (waiting === undefined || event.instanceId === deps.instanceId) {
            return;
          }
          const { requestId: _r, at: _a, ...reply } = event;
          waiting.answers.set(event.instanceId, reply);
          waiting.awaited.delete(event.instanceId);
          if (waiting.awaited.size === 0) {
            waiting.done();
          }
        },
        'modelsReloaded',
      );
    },

    stop() {
      stopListening();
      for (const waiting of open.values()) {
        waiting.done();
      }
    },

    async reloadEverywhere() {
      const requestId = randomUUID();
      const others = await deps.liveInstances().then(
        (ids) => ids.filter((id) => id !== deps.instanceId),
        (error: unknown) => {
          // Redis away: the request cannot reach anyone either; this instance still reloads.
          log.warn({ err: error }, 'live instances unknown: reloading this instance only');
          return null;
        },
      );
      const answers = new Map<string, InstanceReload>();
      const awaited = new Set(others ?? []);
      let timer: NodeJS.Timeout | undefined;
      const allAnswered = new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          open.delete(requestId);
          resolve();
        };
        open.set(requestId, { answers, awaited, done });
        timer = setTimeout(done, awaited.size === 0 ? 0 : waitMs);
        timer.unref();
      });
      if (others !== null && others.length > 0) {
        deps.pubsub.publish('modelsReloadRequested', { requestId, from: deps.instanceId, at: deps.clock().toISOString() });
      }
      try {
        await deps.models.reload();
      } catch (error) {
        open.get(requestId)?.done();
        throw error;
      }
      const here = deps.models.status();
      await allAnswered;
      return {
        here,
        instances: [fromStatus(deps.instanceId, here), ...[...answers.values()].sort((x, y) => x.instanceId.localeCompare(y.instanceId))],
        notAnswered: [...awaited].sort(),
      };
    },
  };
}
